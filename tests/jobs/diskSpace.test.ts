import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresetKind } from '../../shared/dto/jobs';
import { decideSpace, diskHeadroomBytes, estimateOutputBytes, SPACE_MARGIN, SPACE_SLACK_BYTES } from '../../electron/domains/jobs/diskGuard';
import { diskOf } from '../../electron/domains/jobs/diskSpace';
import { unfinishedProgress } from '../../electron/domains/jobs/finishJob';
import { resolveBinary } from '../../electron/platform/media';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useJobEngine, MemoryLibrary, waitForJob } from '../helpers/jobEngine';
import { fillDisk } from '../helpers/diskFill';

const MB = 1024 * 1024;
const presetsDir = join(__dirname, '../../resources/presets');
const builtIn = readdirSync(presetsDir).map((f) => JSON.parse(readFileSync(join(presetsDir, f), 'utf8')) as { name: string; kind: PresetKind; params: Record<string, unknown> });
const withMargin = (bytes: number) => Math.ceil(bytes * SPACE_MARGIN);
/** A disk large enough that its headroom is the full SPACE_SLACK_BYTES. */
const big = (freeBytes: number) => ({ freeBytes, totalBytes: 1e12 });

describe('disk-space guard (pure)', () => {
  const durations = [5, 600, 7200];
  const sizes = [2 * MB, 700 * MB, 12_000 * MB];

  it('estimates every built-in preset over short to long, small to large sources', () => {
    expect(builtIn.length).toBeGreaterThanOrEqual(10);
    for (const preset of builtIn) {
      for (const d of durations) {
        for (const size of sizes) {
          const encode = estimateOutputBytes({ kind: preset.kind, params: preset.params, sources: [{ durationSec: d, sizeBytes: size }], plan: 'encode to H.264 1280x720 + AAC: over the cap' });
          const p = preset.params;
          let raw: number;
          if (preset.kind === 'thumbnail') raw = 4 * MB;
          else if (preset.kind === 'sprite') raw = (p.maxTiles as number) * 40 * 1024;
          else if (preset.kind === 'audio') raw = ((p.bitrateKbps as number) * 1000 * d) / 8;
          else if (preset.kind === 'ladder') raw = ((p.renditions as { videoKbps: number }[]).reduce((s, r) => s + r.videoKbps + (p.audioKbps as number), 0) * 1000 * d) / 8;
          else raw = (((p.maxrateKbps as number) + (p.audioKbps as number)) * 1000 * d) / 8;
          expect(encode.bytes, `${preset.name} ${d} s ${size} B`).toBe(withMargin(raw));
          // A stream copy writes about the source's size, whatever the cap says.
          if (preset.kind === 'web' || preset.kind === 'concat') {
            const remux = estimateOutputBytes({ kind: preset.kind, params: preset.params, sources: [{ durationSec: d, sizeBytes: size }], plan: 'remux: the source is already web-ready' });
            expect(remux).toEqual({ bytes: withMargin(size), basis: 'the size of the source' });
          }
        }
      }
    }
  });

  it('concat sums its inputs; an unknown duration falls back to the source size; audio copy assumes 320 kbit/s', () => {
    const concat = builtIn.find((p) => p.kind === 'concat')!;
    const two = estimateOutputBytes({ kind: 'concat', params: concat.params, sources: [{ durationSec: 60, sizeBytes: MB }, { durationSec: 120, sizeBytes: MB }], plan: 'stream copy of 2 matching inputs' });
    expect(two.bytes).toBe(withMargin(2 * MB));
    const reencode = estimateOutputBytes({ kind: 'concat', params: concat.params, sources: [{ durationSec: 60, sizeBytes: MB }, { durationSec: 120, sizeBytes: MB }], plan: 're-encode 2 inputs to 1280x720: sizes differ' });
    expect(reencode.bytes).toBe(withMargin((6128 * 1000 * 180) / 8));
    expect(reencode.basis).toBe('6128 kbit/s × 3 min');
    const web = builtIn.find((p) => p.name === 'web')!;
    expect(estimateOutputBytes({ kind: 'web', params: web.params, sources: [{ durationSec: null, sizeBytes: 300 * MB }], plan: 'encode' }).bytes).toBe(withMargin(300 * MB));
    expect(estimateOutputBytes({ kind: 'audio', params: { bitrateKbps: 160 }, sources: [{ durationSec: 100, sizeBytes: 50 * MB }], plan: 'stream copy of the aac track into m4a' }).bytes).toBe(withMargin((320 * 1000 * 100) / 8));
  });

  it('decides at the boundary and says needed vs free, naming the folder and the headroom kept free', () => {
    const est = { bytes: 25 * MB, basis: '6128 kbit/s × 30 s' };
    const need = 25 * MB + SPACE_SLACK_BYTES;
    expect(decideSpace(est, big(need), '/out')).toEqual({ ok: true, neededBytes: need, freeBytes: need });
    const no = decideSpace(est, big(need - 1), '/media/lab/out');
    expect(no.ok).toBe(false);
    expect(!no.ok && no.message).toBe('not enough disk space in /media/lab/out: the output needs about 43.0 MB (6128 kbit/s × 30 s, plus 10 %, plus 16.8 MB kept free on the disk), 43.0 MB is free; free some space there or choose another output folder');
    for (const free of [0, 1, 10 * MB, 40 * MB]) expect(decideSpace(est, big(free), '/x').ok).toBe(false);
    expect(decideSpace({ bytes: 3e9, basis: 'x' }, big(1.2e9), '/x')).toMatchObject({ ok: false, message: expect.stringContaining('needs about 3.0 GB (x, plus 10 %, plus 16.8 MB kept free on the disk), 1.2 GB is free') });
    // Unknown disk size: the full headroom, and never "too small".
    expect(decideSpace(est, { freeBytes: 0, totalBytes: null }, '/x')).toMatchObject({ ok: false, neededBytes: need });
    expect(decideSpace(est, { freeBytes: 0, totalBytes: null }, '/x')).not.toHaveProperty('never');
  });

  // Soak finding 1: a fixed 16 MiB over a 2 MB disk held a 130 kB output for good.
  it('scales the headroom to the disk (a 64th, 256 kB to 16 MiB), so a small disk can hold a small output', () => {
    expect(diskHeadroomBytes(2 * MB)).toBe(256 * 1024);
    expect(diskHeadroomBytes(24 * MB)).toBe(384 * 1024);
    expect(diskHeadroomBytes(1e12)).toBe(SPACE_SLACK_BYTES);
    expect(diskHeadroomBytes(null)).toBe(SPACE_SLACK_BYTES);
    const small = { bytes: 145_200, basis: '528 kbit/s × 2 s' };
    expect(decideSpace(small, { freeBytes: 2 * MB, totalBytes: 2 * MB }, '/small')).toMatchObject({ ok: true, neededBytes: 145_200 + 256 * 1024 });
    const held = decideSpace(small, { freeBytes: 32 * 1024, totalBytes: 2 * MB }, '/small');
    expect(held).toMatchObject({ ok: false, message: expect.stringContaining('plus 262 kB kept free on the disk), 33 kB is free') });
    expect(held).not.toHaveProperty('never');
  });

  it('a disk smaller than the need can never hold it: said at once, with the disk size, never held', () => {
    const d = decideSpace({ bytes: 3 * MB, basis: '6128 kbit/s × 4 s' }, { freeBytes: 2 * MB, totalBytes: 2 * MB }, '/small');
    expect(d).toMatchObject({ ok: false, never: true });
    expect(!d.ok && d.message).toBe('the disk holding /small is too small for this output: it needs about 3.4 MB (6128 kbit/s × 4 s, plus 10 %, plus 262 kB kept free on the disk), and the whole disk is 2.1 MB; choose another output folder');
  });

  it('a job that did not finish never shows 100 %', () => {
    const p = { jobId: 1, percent: 100, fps: 30, speed: 2, etaSec: 0, outTimeSec: 10 };
    expect(unfinishedProgress(p)).toEqual({ ...p, percent: 99.9, etaSec: null });
    expect(unfinishedProgress({ ...p, percent: 42 })).toEqual({ ...p, percent: 42 });
    expect(unfinishedProgress(null)).toBeNull();
  });

  it('finds the disk holding a folder from the mount table', () => {
    const mounts = join(tempDir('church-mounts-'), 'mounts');
    writeFileSync(mounts, '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /media/lab ext4 rw 0 0\n/dev/sdc1 /media/lab\\040two xfs rw 0 0\n');
    expect(diskOf('/media/lab/out/x', mounts)).toEqual({ mount: '/media/lab', device: '/dev/sdb1' });
    expect(diskOf('/media/lab two/out', mounts)).toEqual({ mount: '/media/lab two', device: '/dev/sdc1' });
    expect(diskOf('/media/labx', mounts)).toEqual({ mount: '/', device: '/dev/sda1' });
  });
});

// A real small filesystem: tmpfs needs root (mount). Elsewhere the pure tests above still run.
const isRoot = process.getuid?.() === 0;
const mountDir = tempDir('church-tmpfs-');
let mounted = false;
if (isRoot) {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', mountDir], { timeout: 10_000 });
  mounted = r.status === 0;
  if (!mounted) console.log(`disk-full tests skipped: mounting a tmpfs failed (${r.stderr.toString().trim()})`);
} else {
  console.log('disk-full tests skipped: mounting a small tmpfs needs root, and this test runs as an ordinary user');
}

describe.skipIf(!mounted)('disk space on a real 40 MB filesystem (tmpfs)', () => {
  const library = new MemoryLibrary();
  let clip = 0;
  const out = join(mountDir, 'out');
  // ffmpeg through a wrapper that holds before starting while a "hold" file exists: the test fills the disk
  // at that moment, so ffmpeg meets a full disk mid-job, deterministically.
  const bin = tempDir('church-space-bin-');
  const realFfmpeg = resolveBinary('ffmpeg').path!;
  writeFileSync(join(bin, 'ffmpeg'), `#!/bin/sh\nif [ -e "${bin}/hold" ]; then : > "${bin}/held"; while [ -e "${bin}/hold" ]; do sleep 0.05; done; fi\nexec "${realFfmpeg}" "$@"\n`);
  chmodSync(join(bin, 'ffmpeg'), 0o755);
  const env = { ...process.env, FFMPEG_PATH: join(bin, 'ffmpeg') };
  const fast = { x264Preset: 'ultrafast', remuxWhenCompliant: false };

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    clip = await library.add(await makeClip(join(tempDir('church-space-media-'), 'clip.mp4'), { seconds: 4 }));
  }, 60_000);
  afterAll(() => {
    spawnSync('umount', [mountDir], { timeout: 10_000 });
  });

  it('too little room: the job waits in the queue with needed vs free, then runs when space is freed', async () => {
    const filler = fillDisk(mountDir, 1 * MB);
    const fx = useJobEngine({ library, env, spaceRecheckMs: 300 });
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, outDir: out });
    await expect.poll(() => fx.engine.get(job.id).waiting, { timeout: 30_000 }).toBeDefined();
    const waiting = fx.engine.get(job.id);
    expect(waiting.status).toBe('queued');
    expect(waiting.waiting!.freeBytes).toBeLessThanOrEqual(1 * MB);
    expect(waiting.waiting!.neededBytes).toBeGreaterThan(waiting.waiting!.freeBytes);
    // The headroom is a 64th of this 40 MB disk, and the words name it.
    expect(waiting.waiting!.reason).toMatch(new RegExp(`^not enough disk space in ${out}: the output needs about [\\d.]+ MB \\(.*, plus 10 %, plus 655 kB kept free on the disk\\), [\\d.]+ (k?B|MB) is free; free some space there or choose another output folder$`));
    expect(readdirSync(out)).toEqual([]);
    rmSync(filler);
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed'], 60_000);
    expect(done.status).toBe('done');
    expect(done.waiting).toBeUndefined();
    rmSync(done.outputPath, { force: true });
    await fx.close();
  });

  it('asked to fail instead: the job fails at once with the same figures', async () => {
    const filler = fillDisk(mountDir, 1 * MB);
    const fx = useJobEngine({ library, env });
    fx.engine.setSettings({ noSpace: 'fail' });
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, outDir: out });
    const failed = await waitForJob(fx.engine, job.id, ['done', 'failed'], 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^not enough disk space in .*: the output needs about [\d.]+ MB .*, [\d.]+ (k?B|MB) is free; free some space there or choose another output folder, then retry$/);
    expect(readdirSync(out)).toEqual([]);
    rmSync(filler);
    await fx.close();
  });

  it('an output larger than the whole disk is refused when queued, saying so (it would wait for good)', async () => {
    const fx = useJobEngine({ library, env });
    // 60 Mbit/s for 4 s is over 30 MB, plus 10 %: more than this 40 MB disk less its headroom can ever give.
    await expect(fx.engine.enqueue({ videoId: clip, preset: 'web', params: { ...fast, maxrateKbps: 80_000 }, outDir: out })).rejects.toThrow(
      new RegExp(`^the disk holding ${out} is too small for this output: it needs about [\\d.]+ MB \\(.*\\), and the whole disk is 41\\.9 MB; choose another output folder$`),
    );
    expect(fx.engine.list().jobs).toEqual([]);
    await fx.close();
  });

  it('a disk that fills mid-job: the message names the disk and the free space, nothing half-written stays, never 100 %', async () => {
    writeFileSync(join(bin, 'hold'), '');
    const fx = useJobEngine({ library, env });
    const job = await fx.engine.enqueue({ videoId: clip, preset: 'web', params: fast, outDir: out });
    await expect.poll(() => existsSync(join(bin, 'held')), { timeout: 30_000 }).toBe(true);
    // The space check passed; now another program takes the rest of the disk before ffmpeg writes.
    const filler = fillDisk(mountDir, 0);
    rmSync(join(bin, 'hold'));
    const failed = await waitForJob(fx.engine, job.id, ['done', 'failed'], 60_000);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(new RegExp(`^the disk holding ${out} \\(tmpfs mounted at ${mountDir}\\) is full: ffmpeg could not write the output; [\\d.]+ (k?B|MB) is free now\\. Free some space there or choose another output folder, then retry$`));
    expect(failed.error).not.toMatch(/check the source file/);
    expect(failed.progress?.percent ?? 0).toBeLessThan(100);
    expect(readdirSync(out)).toEqual([]);
    rmSync(filler);
    rmSync(join(bin, 'held'), { force: true });
    await fx.close();
  });
});
