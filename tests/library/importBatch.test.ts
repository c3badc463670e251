import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../electron/platform/db';
import { fingerprintFile, LibraryStore, readFileFacts } from '../../electron/domains/library';
import { probeFile } from '../../electron/platform/media';
import { WriteBatch } from '../../electron/domains/library/writeBatch';
import { tempDir } from '../helpers/tempDir';
import { clip } from '../helpers/libraryFiles';

/** oshash written out plainly: size + the little-endian 64-bit word sums of the first and last 64 KiB, zero-padded. */
function referenceOshash(bytes: Buffer): string {
  const chunk = Math.min(65536, bytes.length);
  const sum = (b: Buffer) => {
    const padded = Buffer.alloc(Math.ceil(b.length / 8) * 8);
    b.copy(padded);
    let s = 0n;
    for (let i = 0; i < padded.length; i += 8) s += padded.readBigUInt64LE(i);
    return s;
  };
  const h = (BigInt(bytes.length) + sum(bytes.subarray(0, chunk)) + sum(bytes.subarray(bytes.length - chunk))) & ((1n << 64n) - 1n);
  return h.toString(16).padStart(16, '0');
}

describe('reading a file once for its fingerprint and header', () => {
  it('gives the oshash for files under one block, between one and two, exactly two and above', async () => {
    const dir = tempDir('church-oshash-');
    for (const size of [0, 5, 4095, 65536, 70_001, 131_072, 131_073, 300_007]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >> 9)) & 0xff;
      const f = join(dir, `f${size}.bin`);
      writeFileSync(f, bytes);
      expect((await fingerprintFile(f)).fingerprint, `size ${size}`).toBe(referenceOshash(bytes));
    }
  });

  it('reads a moov at the end of a small file from the bytes already read, as ffprobe describes it', async () => {
    const dir = tempDir('church-moov-tail-');
    const f = await clip(join(dir, 'small.mp4'), { seconds: 1, width: 160, height: 120 });
    const size = readFileSync(f).length;
    expect(size).toBeGreaterThan(16_384); // the moov lies past the first bytes…
    expect(size).toBeLessThanOrEqual(131_072); // …and within the two blocks the fingerprint reads
    const facts = await readFileFacts(f);
    expect(facts.header).not.toBeNull();
    const probe = await probeFile(f, { timeoutMs: 30_000 });
    expect(facts.header?.durationSec).toBeCloseTo(probe.durationSec ?? 0, 2);
    expect(facts.header?.display).toEqual(probe.display);
  }, 30_000);
});

describe('writing probed files in batches', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes when full, when asked, and a while after the first item', () => {
    vi.useFakeTimers();
    const written: number[][] = [];
    const batch = new WriteBatch<number>(3, 200, (items) => written.push(items));
    batch.add(1);
    batch.add(2);
    batch.add(3);
    expect(written).toEqual([[1, 2, 3]]);
    batch.add(4);
    batch.flush();
    expect(written).toEqual([[1, 2, 3], [4]]);
    batch.add(5);
    vi.advanceTimersByTime(199);
    expect(written).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([[1, 2, 3], [4], [5]]);
    batch.flush(); // nothing pending: no empty write
    expect(written).toHaveLength(3);
  });

  it('imports more files than a batch holds: every item whole, with its probe and search row', async () => {
    const src = tempDir('church-batch-src-');
    const seed = await clip(join(src, 'seed.mp4'), { seconds: 1, audio: false });
    const bytes = readFileSync(seed);
    // Distinct tails: 150 distinct files, more than two batches of 64.
    for (let i = 0; i < 149; i++) writeFileSync(join(src, `copy ${String(i).padStart(3, '0')}.mp4`), Buffer.concat([bytes, Buffer.from(`distinct tail ${i}`)]));
    const db = openDatabase(join(tempDir('church-batch-data-'), 'studio.sqlite'));
    const store = new LibraryStore(db, { concurrency: 2 });
    const summary = await store.import([src], { assets: false });
    expect(summary.imported).toBe(150);
    expect(summary.failed).toEqual([]);
    const rows = db.prepare('SELECT count(*) AS n, sum(NOT EXISTS (SELECT 1 FROM video_probes p WHERE p.video_id = v.id)) AS noProbe FROM videos v').get() as { n: number; noProbe: number };
    expect(rows).toEqual({ n: 150, noProbe: 0 });
    expect((db.prepare('SELECT count(*) AS n FROM videos_fts').get() as { n: number }).n).toBe(150);
    expect(store.search({ query: 'copy 148' }).items.map((v) => v.title)).toContain('copy 148');
    db.close();
  }, 60_000);
});
