import { open } from 'node:fs/promises';

/** Bytes read from each end of a file. */
export const FINGERPRINT_CHUNK = 64 * 1024;
const MASK = (1n << 64n) - 1n;

function sumWords(buf: Buffer, acc: bigint): bigint {
  // Whole little-endian 64-bit words only, as oshash does; a short tail is zero-padded.
  const words = Math.ceil(buf.length / 8);
  const padded = buf.length % 8 === 0 ? buf : Buffer.concat([buf, Buffer.alloc(words * 8 - buf.length)]);
  let lo = 0;
  let hi = 0;
  // Sum in two 32-bit halves with plain numbers (much faster than a BigInt per word); carry once at the end.
  for (let i = 0; i < words; i++) {
    lo += padded.readUInt32LE(i * 8);
    hi += padded.readUInt32LE(i * 8 + 4);
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

export async function fingerprintFile(path: string): Promise<{ fingerprint: string; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const chunk = Math.min(FINGERPRINT_CHUNK, size);
    const head = Buffer.alloc(chunk);
    const tail = Buffer.alloc(chunk);
    if (chunk > 0) {
      await fh.read(head, 0, chunk, 0);
      await fh.read(tail, 0, chunk, size - chunk);
    }
    return { fingerprint: oshashOf(size, head, tail), size };
  } finally {
    await fh.close();
  }
}
