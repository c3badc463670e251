import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';

/** Bytes read from each end of a file. */
export const FINGERPRINT_CHUNK = 64 * 1024;
const MASK = (1n << 64n) - 1n;
/** A typed-array view reads words in the platform's byte order; oshash words are little-endian. */
const LITTLE_ENDIAN = endianness() === 'LE';

function sumWords(buf: Buffer, acc: bigint): bigint {
  // Whole little-endian 64-bit words only, as oshash does; a short tail is zero-padded.
  const words = Math.ceil(buf.length / 8);
  if (!LITTLE_ENDIAN) {
    let lo = 0;
    let hi = 0;
    const padded = Buffer.alloc(words * 8);
    buf.copy(padded);
    for (let i = 0; i < words; i++) {
      lo += padded.readUInt32LE(i * 8);
      hi += padded.readUInt32LE(i * 8 + 4);
    }
    return (acc + BigInt(lo) + (BigInt(hi) << 32n)) & MASK;
  }
  let aligned = buf;
  if (buf.length % 8 !== 0 || buf.byteOffset % 4 !== 0) {
    aligned = Buffer.alloc(words * 8);
    buf.copy(aligned);
  }
  // Sum the low and high 32-bit halves with plain numbers over a typed view (much faster than a BigInt or a
  // readUInt32LE call per word), then carry once. 8192 words × 2^32 stays far below 2^53.
  const halves = new Uint32Array(aligned.buffer, aligned.byteOffset, words * 2);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < halves.length; i += 2) {
    lo += halves[i]!;
    hi += halves[i + 1]!;
  }
  return (acc + BigInt(lo) + (BigInt(hi) << 32n)) & MASK;
}

/**
 * The oshash of a file (OpenSubtitles' hash, as Stash uses): file size plus the 64-bit word sums of the first
 * and last 64 KiB. Reads at most 128 KiB however large the file, so it is cheap enough for every scan and
 * stable across renames and moves. Two files with equal fingerprints are treated as copies of one content.
 */
export function oshashOf(size: number, head: Buffer, tail: Buffer): string {
  let h = BigInt(size) & MASK;
  h = sumWords(head, h);
  h = sumWords(tail, h);
  return h.toString(16).padStart(16, '0');
}

/**
 * The size and the fingerprint's head and tail blocks of an open file (one block when the file is that small).
 * A file of up to two blocks is read whole, in one read, and both blocks are views of it.
 */
export async function readEnds(fh: FileHandle): Promise<{ size: number; head: Buffer; tail: Buffer }> {
  const { size } = await fh.stat();
  const chunk = Math.min(FINGERPRINT_CHUNK, size);
  if (size <= 2 * FINGERPRINT_CHUNK) {
    const all = await readFully(fh, size, 0);
    return { size, head: all.subarray(0, chunk), tail: all.subarray(size - chunk) };
  }
  const head = await readFully(fh, chunk, 0);
  const tail = await readFully(fh, chunk, size - chunk);
  return { size, head, tail };
}

/** `length` bytes from `position`; what a shorter read (a file that shrank) leaves is zero, as oshash pads. */
async function readFully(fh: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = length > 0 ? await fh.read(buf, 0, length, position) : { bytesRead: 0 };
  if (bytesRead < length) buf.fill(0, bytesRead);
  return buf;
}

export async function fingerprintFile(path: string): Promise<{ fingerprint: string; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size, head, tail } = await readEnds(fh);
    return { fingerprint: oshashOf(size, head, tail), size };
  } finally {
    await fh.close();
  }
}
