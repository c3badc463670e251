import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, relative, resolve, isAbsolute } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ChurchError } from '../../../shared/errors';

/** Random bytes a new lab secret holds (64 hex characters in the file). */
export const LAB_SECRET_BYTES = 32;
/** The least estimated randomness a lab secret file must show: hex or base64 of 32 random bytes is far above. */
const MIN_BITS = 160;
/** Larger than any secret: a device (/dev/zero) or a media file is refused before it is read. */
const MAX_FILE_BYTES = 4096;
/** The studio's own files by name, wherever its data dir is (another studio's, one moved aside). */
const STUDIO_FILE = /^(instance\.json|studio\.sqlite(-wal|-shm|-journal)?|primary\.lock)$/;

const GENERATE = (file: string) => `make a new one with "church lab secret --new ${file}" (or "openssl rand -hex 32 > ${file}")`;

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not there yet (or gone): its folder's real path, so a symlinked data dir still counts.
    try {
      return resolve(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function inside(file: string, dir: string): boolean {
  const rel = relative(canonical(dir), canonical(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The lab secret may not be one of the studio's own files: not inside its data dir (instance.json with the attach
 * key, the database, secrets/, anything a request can make the studio write there, whose content a caller then
 * knows), and no file named like one. Checked on save and on every read.
 */
export function checkLabSecretPath(file: string, dataDirs: readonly string[]): void {
  for (const dir of dataDirs) {
    if (inside(file, dir)) throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} is inside the studio's data dir (${dir}); keep it outside, e.g. ~/.config/church/lab.secret, and ${GENERATE(file)}`);
  }
  const name = basename(canonical(file));
  if (STUDIO_FILE.test(name) || /(^|[\\/])secrets[\\/][^\\/]+\.bin$/.test(canonical(file))) {
    throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} is one of the studio's own files (${name}), not a lab secret; ${GENERATE(file)}`);
  }
}

/** Shannon entropy of the characters times their count: what the text shows of randomness, at most. */
function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= n * Math.log2(n / text.length);
  return bits;
}

/** What is left after compression (less deflate's own overhead): a repeated pattern shrinks to almost nothing. */
function compressedBits(text: string): number {
  return Math.max(0, deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).length - 10) * 8;
}

/** The bytes a secret's text stands for: hex and base64 decoded, anything else as written. */
function decodedLength(text: string): number {
  if (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0) return text.length / 2;
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && text.length >= 43) return Buffer.from(text, 'base64').length;
  return Buffer.byteLength(text, 'utf8');
}

/** Refuses a secret shorter than 32 bytes or without the randomness of 32 random bytes' text, with what to do. */
export function checkLabSecretStrength(text: string, file: string): void {
  const bytes = decodedLength(text);
  if (bytes < LAB_SECRET_BYTES) throw new ChurchError('INVALID_INPUT', `the lab secret in ${file} holds ${bytes} bytes; it needs at least ${LAB_SECRET_BYTES} random bytes: ${GENERATE(file)}`);
  const bits = Math.min(shannonBits(text), compressedBits(text));
  if (bits < MIN_BITS) throw new ChurchError('INVALID_INPUT', `the lab secret in ${file} looks like about ${Math.round(bits)} bits of randomness (repeated or guessable text); it needs ${LAB_SECRET_BYTES} random bytes: ${GENERATE(file)}`);
}

/**
 * Reads the lab secret: a regular file outside the studio's data dirs, only its owner can read, holding at least
 * 32 random bytes (hex, base64 or text). The key is the trimmed text, as every agent reads it.
 */
export function readLabSecret(file: string, dataDirs: readonly string[] = []): Buffer {
  checkLabSecretPath(file, dataDirs);
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} is not a regular file; ${GENERATE(file)}`);
    if (st.size > MAX_FILE_BYTES) throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} is ${st.size} bytes, not a secret (at most ${MAX_FILE_BYTES}); ${GENERATE(file)}`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} can be read by other users; run "chmod 600 ${file}"`);
    }
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (e instanceof ChurchError) throw e;
    throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check --lab-secret-file / CHURCH_LAB_SECRET_FILE`);
  }
  checkLabSecretStrength(text, file);
  return Buffer.from(text, 'utf8');
}

/**
 * `church lab secret --new FILE`: 32 random bytes as hex, in a new file only its owner can read (0600, created
 * exclusively: an existing file is never overwritten, so a lab's secret is not replaced by a typo).
 */
export function writeNewLabSecret(file: string, dataDirs: readonly string[] = []): string {
  checkLabSecretPath(file, dataDirs);
  if (existsSync(file)) throw new ChurchError('CONFLICT', `${file} already exists; the lab secret in it is kept (remove it first to replace it, then give the new file to every agent)`);
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ChurchError('CONFLICT', `${file} already exists; the lab secret in it is kept`);
    throw new ChurchError('INVALID_INPUT', `${file} cannot be created (${code ?? (e as Error).message}); check that its folder exists and is yours`);
  }
  try {
    writeSync(fd, `${randomBytes(LAB_SECRET_BYTES).toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return file;
}
