import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/dto/jobs';
import { buildChunkArgs, chunkGop, chunkSecondsFor, planChunks, RUNNING_VBV_FILL, type FrameTimeline } from '../../electron/domains/jobs/chunks/planChunks';
import { readFrameTimeline } from '../../electron/domains/jobs/chunks/readFrameTimeline';
import { buildHlsArgs, buildWebArgs, resolveParams, type ResolvedPreset } from '../../electron/platform/media/presets';
import { resolveBinary } from '../../electron/platform/media';
import { probeFile } from '../../electron/platform/media/probe';
import { runProcess } from '../../electron/platform/process';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { audioGaps, compareVideos, KEYFRAME_EVERY_SECOND, videoFrames } from '../helpers/chunks';
import { useJobEngine, MemoryLibrary, waitForJob } from '../helpers/jobEngine';

// Chunked encodes with real ffmpeg on lavfi clips: 25 fps, a keyframe every second (-g 25), so 2-3 s chunks cut
// a few seconds of video into several pieces.
const media = tempDir('church-chunked-media-');
const library = new MemoryLibrary();
const fast = { x264Preset: 'ultrafast', remuxWhenCompliant: false };
let src = '';
let silent = '';
let srcId = 0;
let silentId = 0;

beforeAll(async () => {
  src = await makeClip(join(media, 'src.mp4'), { seconds: 9, extra: KEYFRAME_EVERY_SECOND });
  silent = await makeClip(join(media, 'silent.mp4'), { seconds: 7, audio: false, extra: KEYFRAME_EVERY_SECOND });
  srcId = await library.add(src);
  silentId = await library.add(silent);
}, 60_000);

function timeline(seconds: number, fps: number, gopFrames: number): FrameTimeline {
  const pts = Array.from({ length: Math.round(seconds * fps) }, (_, i) => i * 512);
  return { timeBase: { num: 1, den: fps * 512 }, formatStartUs: 0, pts, keyPts: pts.filter((_, i) => i % gopFrames === 0), lastFrameSec: 1 / fps };
}

/** The same preset and params through the engine chunked (chunkSeconds 3) and in one piece; both must succeed. */
async function chunkedAndWhole(preset: string, params: Record<string, unknown>): Promise<{ a: Job; b: Job; dataDir: string }> {
  const fx = useJobEngine({ library });
  const chunked = await fx.engine.enqueue({ videoId: srcId, preset, params: { ...params, chunkSeconds: 3 } });
  const whole = await fx.engine.enqueue({ videoId: srcId, preset, params: { ...params, chunkSeconds: 0 } });
  const a = await waitForJob(fx.engine, chunked.id, ['done', 'failed'], 120_000);
  const b = await waitForJob(fx.engine, whole.id, ['done', 'failed'], 120_000);
  expect(a.error).toBeNull();
  expect(b.error).toBeNull();
  expect(a.plan).toMatch(/chunked: 3 chunks/);
  expect(b.plan).not.toMatch(/chunked/);
  return { a, b, dataDir: fx.dataDir };
}

function unitFiles(dataDir: string, jobId: number): string[] {
  return readdirSync(join(dataDir, 'jobs-work', String(jobId))).filter((n) => n.startsWith('unit-chunk-')).sort();
}

describe('chunk planning (pure)', () => {
  it('cuts at the first keyframe at or after each step and counts every frame once', () => {
    const chunks = planChunks(timeline(10, 25, 50), 3);
    // keyframes every 2 s: cuts at 0, 4, 8 (8→10 s is 2 s, not under a quarter chunk, so it stays)
    expect(chunks.map((c) => c.startSec)).toEqual([0, 4, 8]);
    expect(chunks.map((c) => c.frames)).toEqual([100, 100, 50]);
    expect(chunks.reduce((n, c) => n + c.frames, 0)).toBe(250);
    expect(chunks.at(-1)!.durationSec).toBeCloseTo(2, 6);
    // a tail shorter than a quarter chunk joins the chunk before
    expect(planChunks(timeline(8.5, 25, 25), 4).map((c) => c.frames)).toEqual([100, 113]);
    // no keyframe after the first: one chunk (the engine then encodes in one piece)
    expect(planChunks(timeline(10, 25, 1000), 3)).toHaveLength(1);
  });

  it('chunks long sources automatically, honours chunkSeconds, never chunks a remux or a short file', async () => {
    const probe = await probeFile(src);
    const web = (p: Record<string, unknown>) => resolveParams('web', {}, p);
    expect(chunkSecondsFor(web({}), probe, false)).toBeNull(); // 9 s: under the automatic threshold
    expect(chunkSecondsFor(web({ chunkSeconds: 3 }), probe, false)).toBe(3);
    expect(chunkSecondsFor(web({ chunkSeconds: 3 }), probe, true)).toBeNull();
    expect(chunkSecondsFor(web({ chunkSeconds: 0 }), { ...probe, durationSec: 7200 }, false)).toBeNull();
    expect(chunkSecondsFor(web({}), { ...probe, durationSec: 7200 }, false)).toBe(60);
    expect(chunkSecondsFor(resolveParams('ladder', {}, {}), { ...probe, durationSec: 7200 }, false)).toBeNull();
    expect(() => web({ chunkSeconds: 1 })).toThrow(/chunkSeconds/);
  });

  it('a chunk reads from its keyframe, encodes exactly its frames, video only; HLS keyframes stay on the segment grid', async () => {
    const probe = await probeFile(src);
    const p = resolveParams('web', {}, fast) as Extract<ResolvedPreset, { kind: 'web' }>;
    const one = buildWebArgs(src, probe, p.params, '/out/x.mp4').args;
    const args = buildChunkArgs(one, { index: 1, startSec: 3, frames: 75, durationSec: 3 }, { overlayPeriodSec: null, segmentSec: null, output: '/w/c.mp4' });
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-ss') + 1]).toBe('3.000000');
    // A 75-frame chunk: one keyframe, its first (x264's 250-frame default would also give one).
    // A capped (VBV) encode: a chunk after the first starts with the buffer low, as mid-stream, not with
    // x264's fresh 90 % (a burst of extra bits per chunk); the first chunk starts as the one-piece encode does.
    const bufsizeBits = Number(/^(\d+)k$/.exec(one[one.indexOf('-bufsize') + 1]!)![1]) * 1000;
    expect(args.slice(-10)).toEqual(['-g', '75', '-rc_init_occupancy', String(bufsizeBits * RUNNING_VBV_FILL), '-an', '-frames:v', '75', '-f', 'mp4', '/w/c.mp4']);
    const first = buildChunkArgs(one, { index: 0, startSec: 0, frames: 75, durationSec: 3 }, { overlayPeriodSec: null, segmentSec: null, output: '/w/c.mp4' });
    expect(first).not.toContain('-rc_init_occupancy');
    // A 300-frame chunk gets one keyframe, not x264's two; 1800 frames get 7, as 1800 frames of a one-piece encode.
    expect(chunkGop(300)).toBe(300);
    expect(Math.ceil(1800 / chunkGop(1800))).toBe(7);
    expect(args).not.toContain('-c:a');
    expect(args).not.toContain('0:a:0');
    const h = resolveParams('hls', {}, { segmentSec: 2 }) as Extract<ResolvedPreset, { kind: 'hls' }>;
    const hls = buildHlsArgs(src, probe, h.params, '/out/hls').args;
    const chunk = buildChunkArgs(hls, { index: 1, startSec: 5, frames: 75, durationSec: 3 }, { overlayPeriodSec: null, segmentSec: 2, output: '/w/c.mp4' });
    expect(chunk[chunk.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t+5.000000,(n_forced+2)*2)');
    expect(chunk).not.toContain('-g');
  });

  it('reads a real file\'s keyframes', async () => {
    const tl = await readFrameTimeline(src, process.env);
    expect(tl.pts).toHaveLength(225);
    expect(tl.keyPts).toHaveLength(9);
    expect(planChunks(tl, 3).map((c) => c.frames)).toEqual([75, 75, 75]);
  });
});

describe('chunked encodes (real ffmpeg)', () => {
  it('frame-exact join: same frames and duration as the source, continuous audio, quality and size as one piece', async () => {
    const { a, b, dataDir } = await chunkedAndWhole('web', fast);
    const source = await videoFrames(src);
    const out = await videoFrames(a.outputPath);
    expect(out.frames).toBe(source.frames);
    expect(Math.abs(out.durationSec - source.durationSec)).toBeLessThan(0.041);
    const audio = await audioGaps(a.outputPath);
    const audioWhole = await audioGaps(b.outputPath);
    expect(audio.maxGapSec).toBeLessThan(0.001);
    expect(audio.packets).toBe(audioWhole.packets);
    const q = await compareVideos(a.outputPath, src);
    const q1 = await compareVideos(b.outputPath, src);
    expect(Math.abs(q.ssim - q1.ssim)).toBeLessThanOrEqual(0.002);
    const size = statSync(a.outputPath).size / statSync(b.outputPath).size;
    expect(Math.abs(size - 1)).toBeLessThanOrEqual(0.03);
    // Whole-job progress ended at 100 %, and the work folder is gone with the job done.
    expect(a.progress?.percent).toBe(100);
    expect(() => unitFiles(dataDir, a.id)).toThrow();
  }, 180_000);

  it('an audio-less source chunks the same way (no audio pass)', async () => {
    const fx = useJobEngine({ library });
    const job = await fx.engine.enqueue({ videoId: silentId, preset: 'web', params: { ...fast, chunkSeconds: 2 } });
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed'], 120_000);
    expect(done.error).toBeNull();
    expect(done.plan).toMatch(/chunked: 4 chunks/);
    expect(done.plan).not.toMatch(/audio encoded once/);
    expect((await videoFrames(done.outputPath)).frames).toBe((await videoFrames(silent)).frames);
  }, 120_000);
});

describe('chunked overlay and HLS (real ffmpeg)', () => {
  it('a looped overlay video lines up across chunk boundaries (every frame matches the one-piece encode)', async () => {
    // The overlay cycles red → lime → blue every 0.4 s (1.2 s, looped): a chunk starting at 3 s or 6 s must
    // pick the cycle up mid-way, exactly where the one-piece encode is.
    const overlay = join(media, 'cycle.mp4');
    const r = await runProcess(resolveBinary('ffmpeg').path!, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-filter_complex', 'color=c=red:s=160x120:r=25:d=0.4[a];color=c=lime:s=160x120:r=25:d=0.4[b];color=c=blue:s=160x120:r=25:d=0.4[c];[a][b][c]concat=n=3:v=1[v]',
      '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', overlay,
    ], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const params = { x264Preset: 'ultrafast', source: 'file', file: overlay, sizePercent: 50, corner: 'top-left', marginPx: 0 };
    const { a, b } = await chunkedAndWhole('avatar-overlay', params);
    const cmp = await compareVideos(a.outputPath, b.outputPath);
    expect(cmp.frames).toBe(225);
    // A frame whose overlay colour is off (a shift of even one 0.4 s step) falls far below this.
    expect(cmp.minPsnr).toBeGreaterThan(30);
  }, 180_000);

  it('a still watermark: the chunked encode matches the one-piece one frame by frame', async () => {
    const image = join(media, 'mark.png');
    const r = await runProcess(resolveBinary('ffmpeg').path!, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=yellow:s=64x32', '-frames:v', '1', image], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const params = { x264Preset: 'ultrafast', imagePath: image, widthPercent: 30, opacity: 1 };
    const { a, b } = await chunkedAndWhole('watermark', params);
    const cmp = await compareVideos(a.outputPath, b.outputPath);
    expect(cmp.frames).toBe(225);
    expect(cmp.minPsnr).toBeGreaterThan(30);
  }, 180_000);

  it('single-rendition HLS: the chunked playlist has the one-piece segment grid and every frame', async () => {
    const params = { x264Preset: 'ultrafast', segmentSec: 2 };
    const { a, b } = await chunkedAndWhole('hls', params);
    const extinf = (dir: string) => [...readFileSync(join(dir, 'index.m3u8'), 'utf8').matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]).toFixed(2));
    expect(extinf(a.outputPath)).toEqual(extinf(b.outputPath));
    expect(extinf(a.outputPath)).toEqual(['2.00', '2.00', '2.00', '2.00', '1.00']);
    expect((await videoFrames(join(a.outputPath, 'index.m3u8'))).frames).toBe(225);
  }, 180_000);
});
