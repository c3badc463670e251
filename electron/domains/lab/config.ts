import { readFileSync, statSync } from 'node:fs';
import { ChurchError } from '../../../shared/errors';
import { readCaFile, trustLabCa } from './labCa';

export interface LabConfig {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  secret: Buffer;
}

/** Whether a lab is configured at all, without reading anything (with none, nothing of the lab loads). */
export function labRequested(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CHURCH_LAB_URL);
}

/** Reads the lab secret: a file only its owner can read, at least 16 bytes after trimming. */
export function readLabSecret(file: string): Buffer {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} can be read by other users; run "chmod 600 ${file}"`);
    }
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (e instanceof ChurchError) throw e;
    throw new ChurchError('INVALID_INPUT', `the lab secret file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check --lab-secret-file / CHURCH_LAB_SECRET_FILE`);
  }
  if (text.length < 16) throw new ChurchError('INVALID_INPUT', `the lab secret in ${file} is shorter than 16 characters; write a long random one (e.g. "openssl rand -hex 32 > ${file}")`);
  return Buffer.from(text, 'utf8');
}

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ChurchError('INVALID_INPUT', `the lab URL "${url}" is not a URL; use redis://host:6379 (or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ChurchError('INVALID_INPUT', `the lab URL must start with redis:// or rediss://, got "${u.protocol}//"`);
  return url;
}

/** The lab from CHURCH_LAB_URL + CHURCH_LAB_SECRET_FILE (the global --lab / --lab-secret-file options set these). */
export function labConfigFromEnv(env: NodeJS.ProcessEnv): LabConfig | null {
  if (!env.CHURCH_LAB_URL) return null;
  const file = env.CHURCH_LAB_SECRET_FILE;
  if (!file) throw new ChurchError('INVALID_INPUT', 'the lab is on (CHURCH_LAB_URL / --lab) but has no secret; pass --lab-secret-file FILE or set CHURCH_LAB_SECRET_FILE');
  const config = { url: checkUrl(env.CHURCH_LAB_URL), secret: readLabSecret(file) };
  if (env.CHURCH_LAB_CA_FILE) trustLabCa(config.url, readCaFile(env.CHURCH_LAB_CA_FILE, 'check CHURCH_LAB_CA_FILE (a PEM certificate file)'));
  return config;
}

/** An agent's lab; caFile: the CA that signed a rediss:// Redis's certificate (--lab-ca / CHURCH_LAB_CA_FILE). */
export function labConfig(url: string, secretFile: string | undefined, caFile?: string): LabConfig {
  if (!secretFile) throw new ChurchError('INVALID_INPUT', 'an agent needs the lab secret: pass --secret-file FILE (or set CHURCH_LAB_SECRET_FILE)');
  const config = { url: checkUrl(url), secret: readLabSecret(secretFile) };
  if (caFile) trustLabCa(config.url, readCaFile(caFile, 'check --lab-ca / CHURCH_LAB_CA_FILE (a PEM certificate file)'));
  return config;
}
