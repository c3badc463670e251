import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeFile } from '../../electron/platform/media/probe';
import { ffconcatList } from '../../electron/platform/media/presets';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { useJobEngine, waitForJob } from '../helpers/jobEngine';

// Every preset, through the real engine and real ffmpeg, on generated inputs of different shapes; each output
// is checked with ffprobe. x264 runs at ultrafast (a preset override) to keep the file fast.
const fast = { x264Preset: 'ultrafast' };

async function ffmpeg(args: string[]): Promise<void> {
  const r = await runProcess(resolveBinary('ffmpeg').path!, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(r.stderr);
}

/** True when the MP4's index (moov) comes before the media data: playback starts before the download ends. */
function isFaststart(path: string): boolean {
  const buf = readFileSync(path);
  const moov = buf.indexOf('moov');
  const mdat = buf.indexOf('mdat');
  return moov > 0 && mdat > 0 && moov < mdat;
}

describe('presets produce valid outputs', () => {
  const media = tempDir('church-preset-media-');
  const fx = useJobEngine();
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const clips: Record<string, Parameters<typeof makeClip>[1]> = {
      base: {},
      odd444: { pixFmt: 'yuv444p', audio: false, extra: ['-vf', 'scale=321:241'] },
      tenBit: { pixFmt: 'yuv420p10le' },
      short: { seconds: 0.2 },
      small: { width: 160, height: 120, audio: false },
    };
    for (const [name, spec] of Object.entries(clips)) ids[name] = await fx.library.add(await makeClip(join(media, `${name}.mp4`), spec));
    // Display rotation: ffmpeg 5.1 writes the rotate tag as a display matrix only when stream-copying.
    await ffmpeg(['-i', join(media, 'base.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(media, 'rotated.mp4')]);
    ids.rotated = await fx.library.add(join(media, 'rotated.mp4'));
    // Variable frame rate: frames at irregular times (setpts jitter), muxed with -fps_mode vfr.
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1', '-vf', "setpts='PTS+if(eq(mod(N,3),0),0.01/TB,0)'", '-fps_mode', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(media, 'vfr.mp4')]);
    ids.vfr = await fx.library.add(join(media, 'vfr.mp4'));
    // Audio only, and an MKV with Opus audio (not copyable into M4A).
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', join(media, 'audio.m4a')]);
    ids.audioOnly = await fx.library.add(join(media, 'audio.m4a'));
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'libopus', '-shortest', join(media, 'opus.mkv')]);
    ids.opus = await fx.library.add(join(media, 'opus.mkv'));
    // A semi-transparent PNG for the watermark and the avatar, and a short avatar video.
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red@0.5:s=64x64,format=rgba', '-frames:v', '1', join(media, 'logo.png')]);
    await makeClip(join(media, 'avatar.mp4'), { width: 128, height: 128, seconds: 0.5, audio: false });
  }, 60_000);

  async function run(video: string, preset: string, params: Record<string, unknown> = {}, extra: Partial<{ extraVideoIds: number[] }> = {}) {
    const job = await fx.engine.enqueue({ videoId: ids[video]!, preset, params, ...extra });
    const done = await waitForJob(fx.engine, job.id, ['done', 'failed', 'cancelled']);
    expect(done.error, done.logTail).toBeNull();
    expect(done.status).toBe('done');
    return done;
  }

  it('web: a compliant source is remuxed (no re-encode), faststart, registered in the library', async () => {
    const job = await run('base', 'web', fast);
    expect(job.plan).toMatch(/^remux/);
    expect(job.args).toContain('copy');
    const p = await probeFile(job.outputPath);
    expect(p.streams.map((s) => s.codec)).toEqual(['h264', 'aac']);
    expect(isFaststart(job.outputPath)).toBe(true);
    const reg = fx.library.outputs.find((o) => o.jobId === job.id)!;
    expect(reg).toMatchObject({ videoId: ids.base, preset: 'web', kind: 'video', path: job.outputPath });
    expect(reg.sizeBytes).toBeGreaterThan(1000);
    expect(job.outputIds).toEqual([reg.id]);
  });

  it('web: odd-sized 4:4:4 without audio becomes even-sized yuv420p H.264 with no audio', async () => {
    const job = await run('odd444', 'web', fast);
    expect(job.plan).toMatch(/^encode/);
    expect(job.plan).toContain('odd dimensions');
    const p = await probeFile(job.outputPath);
    const v = p.streams.find((s) => s.type === 'video')!;
    expect([v.codec, v.pixFmt, v.width, v.height]).toEqual(['h264', 'yuv420p', 320, 240]);
    expect(p.streams.some((s) => s.type === 'audio')).toBe(false);
    expect(isFaststart(job.outputPath)).toBe(true);
  });

  it('web: 10-bit becomes 8-bit yuv420p; duration kept', async () => {
    const job = await run('tenBit', 'web', fast);
    const p = await probeFile(job.outputPath);
    const v = p.streams.find((s) => s.type === 'video')!;
    expect(v.pixFmt).toBe('yuv420p');
    expect(v.bitDepth ?? 8).toBe(8);
    expect(p.streams.find((s) => s.type === 'audio')?.codec).toBe('aac');
    expect(Math.abs((p.durationSec ?? 0) - 1)).toBeLessThan(0.15);
  });

  it('web: display rotation is applied (320x240 rotated 90° becomes 240x320 with no rotation left)', async () => {
    const src = await probeFile(fx.library.getVideo(ids.rotated!)!.path);
    expect([90, 270]).toContain(src.streams[0]!.rotation); // the sign convention is the probe's
    const job = await run('rotated', 'web', fast);
    expect(job.plan).toContain('rotation');
    const v = (await probeFile(job.outputPath)).streams.find((s) => s.type === 'video')!;
    expect([v.width, v.height, v.rotation]).toEqual([240, 320, 0]);
  });

  it('web: variable frame rate and very short inputs work', async () => {
    for (const name of ['vfr', 'short']) {
      const job = await run(name, 'web', { ...fast, remuxWhenCompliant: false });
      const p = await probeFile(job.outputPath);
      expect(p.streams[0]!.codec).toBe('h264');
      expect(p.durationSec).toBeGreaterThan(0);
    }
  });

  it('web: an audio-only input is refused before ffmpeg starts, with advice', async () => {
    await expect(fx.engine.enqueue({ videoId: ids.audioOnly!, preset: 'web' })).rejects.toThrow(/only audio; use the audio preset/);
  });

  it('hls: VOD playlist with relative segment names, keyframe-aligned segments, probes as H.264 + AAC', async () => {
    const job = await run('base', 'hls', { ...fast, segmentSec: 0.5 });
    const playlist = readFileSync(join(job.outputPath, 'index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).toContain('#EXT-X-ENDLIST');
    expect(playlist).not.toContain('church-tmp');
    const segments = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const s of segments) expect(existsSync(join(job.outputPath, s))).toBe(true);
    const p = await probeFile(join(job.outputPath, 'index.m3u8'));
    expect(p.streams.map((s) => s.codec).sort()).toEqual(['aac', 'h264']);
    expect(fx.library.outputs.find((o) => o.jobId === job.id)).toMatchObject({ kind: 'hls', path: job.outputPath });
  });

  function playlistDurations(path: string): number[] {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#EXTINF:'))
      .map((l) => Number.parseFloat(l.slice(8)));
  }

  it('ladder: one process, renditions above the source skipped, master playlist, aligned segments, shared audio', async () => {
    const renditions = [
      { height: 1080, videoKbps: 5000 },
      { height: 240, videoKbps: 600 },
      { height: 120, videoKbps: 200 },
    ];
    const job = await run('base', 'ladder', { ...fast, renditions, segmentSec: 0.5 });
    expect(job.plan).toContain('skipped above the source');
    expect(job.plan).toContain('240p (320×240) 600k (source size, no scaling)');
    expect(job.args.filter((a) => a === '-i')).toHaveLength(1); // decoded once
    const master = readFileSync(join(job.outputPath, 'master.m3u8'), 'utf8');
    expect(master).toContain('RESOLUTION=320x240');
    expect(master).toContain('RESOLUTION=160x120');
    expect(master).not.toContain('1080');
    expect(master).toMatch(/#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_aud"/);
    const d240 = playlistDurations(join(job.outputPath, '240p', 'index.m3u8'));
    const d120 = playlistDurations(join(job.outputPath, '120p', 'index.m3u8'));
    expect(d240.length).toBeGreaterThanOrEqual(2);
    expect(d120).toEqual(d240); // keyframes aligned: every rendition cuts at the same times
    const v = (await probeFile(join(job.outputPath, '120p', 'index.m3u8'))).streams.find((s) => s.type === 'video')!;
    expect([v.codec, v.width, v.height]).toEqual(['h264', 160, 120]);
    expect((await probeFile(join(job.outputPath, 'audio', 'index.m3u8'))).streams.map((s) => s.codec)).toEqual(['aac']);
  });

  it('ladder: a source without audio gets video-only renditions; a source smaller than every rendition gets one', async () => {
    const job = await run('small', 'ladder', { ...fast, segmentSec: 0.5 });
    expect(job.plan).toContain('no audio');
    const master = readFileSync(join(job.outputPath, 'master.m3u8'), 'utf8');
    expect(master).not.toContain('TYPE=AUDIO');
    expect(master.match(/#EXT-X-STREAM-INF/g)).toHaveLength(1);
    expect(master).toContain('RESOLUTION=160x120');
    const p = await probeFile(join(job.outputPath, '120p', 'index.m3u8'));
    expect(p.streams.map((s) => s.type)).toEqual(['video']);
  });

  it('audio: AAC is stream-copied into M4A; Opus is re-encoded; no audio is refused', async () => {
    const copied = await run('base', 'audio');
    expect(copied.plan).toMatch(/^stream copy of the aac track/);
    expect((await probeFile(copied.outputPath)).streams.map((s) => s.codec)).toEqual(['aac']);
    const encoded = await run('opus', 'audio');
    expect(encoded.plan).toMatch(/re-encode opus to AAC/);
    const p = await probeFile(encoded.outputPath);
    expect(p.kind).toBe('audio');
    expect(p.streams.map((s) => s.codec)).toEqual(['aac']);
    await expect(fx.engine.enqueue({ videoId: ids.small!, preset: 'audio' })).rejects.toThrow(/no audio track/);
  });

  it('thumbnail and sprite: a JPEG, and a sprite sheet with its WebVTT', async () => {
    const thumb = await run('base', 'thumbnail', { width: 160 });
    expect(readFileSync(thumb.outputPath).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    await expect(fx.engine.enqueue({ videoId: ids.base!, preset: 'thumbnail', params: { atSec: 5 } })).rejects.toThrow(/past the end/);
    const sprite = await run('base', 'sprite', { maxTiles: 4 });
    expect(readdirSync(sprite.outputPath).sort()).toEqual(['sprite.jpg', 'sprite.vtt']);
    const vtt = readFileSync(join(sprite.outputPath, 'sprite.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toMatch(/sprite\.jpg#xywh=0,0,160,120/);
    expect(fx.library.outputs.find((o) => o.jobId === sprite.id)).toMatchObject({ kind: 'sprite', path: join(sprite.outputPath, 'sprite.jpg') });
  });

  it('concat: matching inputs are stream-copied; mismatching ones re-encoded with silence filled in', async () => {
    const copy = await run('base', 'concat', fast, { extraVideoIds: [ids.base!] });
    expect(copy.plan).toMatch(/^stream copy of 2/);
    const p = await probeFile(copy.outputPath);
    expect(Math.abs((p.durationSec ?? 0) - 2)).toBeLessThan(0.2);
    const mixed = await run('base', 'concat', fast, { extraVideoIds: [ids.small!] });
    expect(mixed.plan).toMatch(/^re-encode 2 inputs to 320x240/);
    const q = await probeFile(mixed.outputPath);
    expect(q.streams.map((s) => s.codec)).toEqual(['h264', 'aac']);
    expect(Math.abs((q.durationSec ?? 0) - 2)).toBeLessThan(0.25);
    await expect(fx.engine.enqueue({ videoId: ids.base!, preset: 'concat' })).rejects.toThrow(/at least two videos/);
  });

  it('watermark: an image burned in at a corner; a missing image is refused before ffmpeg', async () => {
    const job = await run('base', 'watermark', { ...fast, imagePath: join(media, 'logo.png'), position: 'top-left', opacity: 0.5, widthPercent: 20 });
    expect(job.plan).toContain('watermark 64 px wide at top-left, opacity 0.5');
    const p = await probeFile(job.outputPath);
    expect(p.streams.map((s) => s.codec)).toEqual(['h264', 'aac']);
    expect(Math.abs((p.durationSec ?? 0) - 1)).toBeLessThan(0.15);
    await expect(fx.engine.enqueue({ videoId: ids.base!, preset: 'watermark' })).rejects.toThrow(/choose the watermark image/);
    await expect(fx.engine.enqueue({ videoId: ids.base!, preset: 'watermark', params: { imagePath: join(media, 'nope.png') } })).rejects.toThrow(/does not exist/);
  });

  it('avatar overlay: an image or a (looped) video in a corner; the cue track needs one', async () => {
    const img = await run('base', 'avatar-overlay', { ...fast, file: join(media, 'logo.png'), corner: 'top-right', sizePercent: 30 });
    expect(img.plan).toContain('avatar image 96 px wide at top-right');
    const vid = await run('base', 'avatar-overlay', { ...fast, file: join(media, 'avatar.mp4'), corner: 'bottom-left' });
    expect(vid.plan).toContain('avatar video');
    const p = await probeFile(vid.outputPath);
    expect(Math.abs((p.durationSec ?? 0) - 1)).toBeLessThan(0.15); // the looped avatar does not stretch the output
    await expect(fx.engine.enqueue({ videoId: ids.base!, preset: 'avatar-overlay', params: { source: 'cue-track' } })).rejects.toThrow(/no avatar cue track/);
  });

  it('concat: a file name with a line break never goes into the ffconcat list (re-encoded through -i file: instead)', async () => {
    // With -safe 0, a list line "file '…'" cut by a newline would let the rest of the name add directives or URLs.
    const hostile = join(media, "clip\nfile 'evil.mp4'\nx.mp4");
    copyFileSync(join(media, 'base.mp4'), hostile);
    const id = await fx.library.add(hostile);
    const job = await run('base', 'concat', fast, { extraVideoIds: [id] });
    expect(job.plan).toMatch(/^re-encode 2 inputs .*line break/);
    expect(job.args).not.toContain('-safe');
    expect(job.args).toContain(`file:${hostile}`);
    const p = await probeFile(job.outputPath);
    expect(Math.abs((p.durationSec ?? 0) - 2)).toBeLessThan(0.2);
    expect(() => ffconcatList(['/a/ok.mp4', '/a/b\rc.mp4'])).toThrow(/line break, which a concat list cannot hold/);
  });

  it("hls and ladder: an output folder with '%' is refused before ffmpeg (the muxer reads it as a pattern); web into it works", async () => {
    const outDir = join(tempDir('church-jobs-pct-'), '100% done');
    for (const preset of ['hls', 'ladder']) {
      await expect(fx.engine.enqueue({ videoId: ids.base!, preset, params: fast, outDir })).rejects.toThrow(/reads '%' in the output path as a pattern; choose an output folder without '%'/);
    }
    const web = await fx.engine.enqueue({ videoId: ids.base!, preset: 'web', params: fast, outDir });
    const done = await waitForJob(fx.engine, web.id, ['done', 'failed']);
    expect(done.error, done.logTail).toBeNull();
    expect(done.outputPath.startsWith(`${outDir}/`)).toBe(true);
    expect(existsSync(done.outputPath)).toBe(true);
  });

  it('avatar overlay from a cue track: enqueue only checks the track; the job renders the PNG list once and bakes it in', async () => {
    const dataDir = tempDir('church-jobs-cues-');
    const renders: string[] = [];
    const cueFx = useJobEngine({
      dataDir,
      library: fx.library,
      start: false,
      avatar: {
        // Faithful to AvatarService: getTrack returns the stored cues; renderCueOverlay writes transparent PNG
        // frames sized for the output and an ffconcat list of them.
        getTrack: (videoId) => ({ cues: videoId === ids.base ? [{ atSec: 0, text: 'hi' }] : [] }),
        async renderCueOverlay(_videoId, o) {
          renders.push(o.workDir);
          const frame = join(o.workDir, 'cue0.png');
          await ffmpeg(['-f', 'lavfi', '-i', `color=c=blue@0.4:s=${o.width}x${o.height},format=rgba`, '-frames:v', '1', frame]);
          const list = join(o.workDir, 'cues.ffconcat');
          writeFileSync(list, `ffconcat version 1.0\nfile '${frame}'\nduration ${o.durationSec}\nfile '${frame}'\n`);
          return { path: list, format: 'concat' };
        },
      },
    });
    const job = await cueFx.engine.enqueue({ videoId: ids.base!, preset: 'avatar-overlay', params: { ...fast, source: 'cue-track' } });
    expect(job.plan).toContain('cue track baked');
    expect(renders).toEqual([]); // validation did not render the PNG set
    await expect(cueFx.engine.enqueue({ videoId: ids.small!, preset: 'avatar-overlay', params: { ...fast, source: 'cue-track' } })).rejects.toThrow(/no avatar cue track/);
    expect(renders).toEqual([]);
    cueFx.engine.start();
    const done = await waitForJob(cueFx.engine, job.id, ['done', 'failed']);
    expect(done.error, done.logTail).toBeNull();
    expect(renders).toHaveLength(1);
    expect(done.plan).toContain('cue track baked');
    expect(done.args).toContain('concat');
    expect((await probeFile(done.outputPath)).streams[0]!.codec).toBe('h264');
  });

  // Every video preset on every awkward shape: the output is H.264 yuv420p with even, rotation-applied
  // dimensions (the rotated 320x240 source comes out portrait) and keeps audio exactly when the source has it.
  const shapes = ['odd444', 'tenBit', 'rotated', 'vfr', 'short'] as const;
  const videoPresets: [string, Record<string, unknown>, string | null][] = [
    ['hls', { ...fast, segmentSec: 0.5 }, 'index.m3u8'],
    ['ladder', { ...fast, segmentSec: 0.5, renditions: [{ height: 240, videoKbps: 500 }] }, 'master.m3u8'],
    ['watermark', { ...fast, imagePath: '' }, null],
    ['avatar-overlay', { ...fast, file: '' }, null],
  ];
  for (const shape of shapes) {
    it(`${shape}: hls, ladder, watermark, avatar overlay, thumbnail and sprite all give valid outputs`, async () => {
      const source = await probeFile(fx.library.getVideo(ids[shape]!)!.path);
      const portrait = (source.display?.height ?? 0) > (source.display?.width ?? 0);
      const hasAudio = source.streams.some((s) => s.type === 'audio');
      for (const [preset, base, playlist] of videoPresets) {
        const params = { ...base };
        if ('imagePath' in params) params.imagePath = join(media, 'logo.png');
        if ('file' in params) params.file = join(media, 'logo.png');
        const job = await run(shape, preset, params);
        const out = playlist ? join(job.outputPath, playlist) : job.outputPath;
        const p = await probeFile(out);
        const v = p.streams.find((s) => s.type === 'video')!;
        expect([v.codec, v.pixFmt, v.rotation], `${preset} on ${shape}`).toEqual(['h264', 'yuv420p', 0]);
        expect(v.width! % 2 + v.height! % 2).toBe(0);
        expect(v.height! > v.width!, `${preset} on ${shape}: orientation`).toBe(portrait);
        expect(p.streams.some((s) => s.type === 'audio'), `${preset} on ${shape}: audio`).toBe(hasAudio);
      }
      const thumb = await run(shape, 'thumbnail');
      expect(readFileSync(thumb.outputPath).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      const sprite = await run(shape, 'sprite', { maxTiles: 4 });
      expect(readFileSync(join(sprite.outputPath, 'sprite.vtt'), 'utf8')).toMatch(/^WEBVTT[\s\S]*#xywh=0,0,/);
    });
  }
});
