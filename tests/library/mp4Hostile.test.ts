import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMoov, readFileFacts } from '../../electron/domains/library';
import { tempDir } from '../helpers/tempDir';
import { clip } from '../helpers/libraryFiles';

// The header reader runs in the main process on every imported file, so a crafted file must never throw, hang or
// make it allocate what the file claims: it answers null and ffprobe (a child process) gets the file instead.
const dir = tempDir('church-mp4-hostile-');
let good: Buffer;

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function ftyp(): Buffer {
  return box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1'));
}

function mvhd(): Buffer {
  const p = Buffer.alloc(100);
  p.writeUInt32BE(1000, 12); // timescale
  p.writeUInt32BE(1000, 16); // duration
  return box('mvhd', p);
}

/** The offset of a box's type field inside `buf` (the first one). */
function typeAt(buf: Buffer, type: string): number {
  const i = buf.indexOf(type, 0, 'latin1');
  if (i < 4) throw new Error(`no ${type} box in the fixture`);
  return i;
}

/** A copy of the good file with `patch` applied, written to disk, and its facts timed. */
async function facts(name: string, bytes: Buffer): Promise<{ header: unknown; ms: number }> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const t = performance.now();
  const f = await readFileFacts(path);
  return { header: f.header, ms: performance.now() - t };
}

function patched(patch: (b: Buffer) => void): Buffer {
  const b = Buffer.from(good);
  patch(b);
  return b;
}

beforeAll(async () => {
  // H.264 High (the avcC carries its SPS/PPS and chroma info) + AAC, moov first so patches stay in place.
  const path = await clip(join(dir, 'good.mp4'), { extra: ['-preset', 'veryfast', '-profile:v', 'high', '-movflags', '+faststart'] });
  good = readFileSync(path);
}, 60_000);

describe('in-process MP4 header reader on hostile input', () => {
  it('reads the untouched fixture (so each patch below is what makes it fall back)', async () => {
    const { header } = await facts('untouched.mp4', good);
    expect(header).toMatchObject({ streams: [{ codec: 'h264', profile: 'High' }, { codec: 'aac' }] });
  });

  it('stts claiming 0xFFFFFFFF entries', async () => {
    const r = await facts('stts.mp4', patched((b) => b.writeUInt32BE(0xffffffff, typeAt(b, 'stts') + 8)));
    expect(r.header).toBeNull();
    expect(r.ms).toBeLessThan(1000);
  });

  it('stsz claiming 0xFFFFFFFF sizes', async () => {
    const r = await facts('stsz.mp4', patched((b) => b.writeUInt32BE(0xffffffff, typeAt(b, 'stsz') + 12)));
    expect(r.header).toBeNull();
  });

  it('avcC whose SPS length runs past the end', async () => {
    const r = await facts('avcc.mp4', patched((b) => b.writeUInt16BE(0xffff, typeAt(b, 'avcC') + 4 + 6)));
    expect(r.header).toBeNull();
    const many = await facts('avcc-count.mp4', patched((b) => (b[typeAt(b, 'avcC') + 4 + 5] = 0xff)));
    expect(many.header).toBeNull();
  });

  it('esds descriptor length bytes 0xFF x4', async () => {
    const r = await facts('esds.mp4', patched((b) => b.fill(0xff, typeAt(b, 'esds') + 4 + 4 + 1, typeAt(b, 'esds') + 4 + 4 + 5)));
    expect(r.header).toBeNull();
  });

  it('boxes of size 0, size < 8 and a 64-bit size of 2^60 inside moov', async () => {
    const trak = typeAt(good, 'trak') - 4;
    expect((await facts('size0.mp4', patched((b) => b.writeUInt32BE(0, typeAt(b, 'tkhd') - 4)))).header).toBeNull();
    expect((await facts('size4.mp4', patched((b) => b.writeUInt32BE(4, trak)))).header).toBeNull();
    expect((await facts('size1.mp4', patched((b) => b.writeUInt32BE(1, trak)))).header).toBeNull();
    // As a moov payload: a 64-bit box claiming 2^60 bytes.
    const huge = Buffer.alloc(16);
    huge.writeUInt32BE(1, 0);
    huge.write('udta', 4, 'latin1');
    huge.writeBigUInt64BE(2n ** 60n, 8);
    expect(parseMoov(Buffer.concat([mvhd(), huge]), 1000)).toBeNull();
    expect(parseMoov(Buffer.concat([mvhd(), Buffer.from([0, 0, 0, 0, 0x75, 0x64, 0x74, 0x61])]), 1000)).toBeNull();
  });

  it('top-level boxes of size 0, size < 8 and 2^60', async () => {
    const ft = ftyp();
    expect((await facts('top0.mp4', Buffer.concat([ft, Buffer.from([0, 0, 0, 0]), Buffer.from('free', 'latin1'), Buffer.alloc(64)]))).header).toBeNull();
    expect((await facts('top4.mp4', Buffer.concat([ft, Buffer.from([0, 0, 0, 4]), Buffer.from('free', 'latin1'), Buffer.alloc(64)]))).header).toBeNull();
    const big = Buffer.alloc(16);
    big.writeUInt32BE(1, 0);
    big.write('moov', 4, 'latin1');
    big.writeBigUInt64BE(2n ** 60n, 8);
    expect((await facts('top60.mp4', Buffer.concat([ft, big, Buffer.alloc(64)]))).header).toBeNull();
  });

  it('100k nested udta boxes', async () => {
    const depth = 100_000;
    const nested = Buffer.alloc(depth * 8);
    for (let d = 0; d < depth; d++) {
      nested.writeUInt32BE((depth - d) * 8, d * 8);
      nested.write('udta', d * 8 + 4, 'latin1');
    }
    const t = performance.now();
    expect(parseMoov(Buffer.concat([mvhd(), nested]), 1000)).toBeNull();
    // The same chain inside a real moov (after its tracks), as a file.
    const moovAt = typeAt(good, 'moov') - 4;
    const moovSize = good.readUInt32BE(moovAt);
    const moov = Buffer.concat([good.subarray(moovAt, moovAt + moovSize), nested]);
    moov.writeUInt32BE(moov.length, 0);
    const file = Buffer.concat([good.subarray(0, moovAt), moov, good.subarray(moovAt + moovSize)]);
    // (chunk offsets now point 800 KB early; the header reader never reads samples, so only nesting matters)
    const r = await facts('nested.mp4', file);
    expect(r.header).toBeNull();
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('a moov claiming more than the in-memory limit is not read into memory', async () => {
    const path = join(dir, 'bigmoov.mp4');
    const claimed = 512 * 1024 * 1024;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(claimed, 0);
    head.write('moov', 4, 'latin1');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.concat([ftyp(), head, mvhd()]));
    ftruncateSync(fd, claimed + 64); // sparse: the size on disk matches the claim, the bytes are not there
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    const t = performance.now();
    const f = await readFileFacts(path);
    expect(f.header).toBeNull();
    expect(performance.now() - t).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });
});
