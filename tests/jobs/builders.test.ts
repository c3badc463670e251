import { describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeStream } from '../../shared/dto/probe';
import {
  buildHlsArgs,
  buildLadderArgs,
  buildWebArgs,
  concatMismatches,
  ffconcatList,
  loadPresets,
  overlayPosition,
  planRenditions,
  resolveParams,
  targetSize,
  webComplianceProblems,
  type LadderParams,
  type WebParams,
} from '../../electron/platform/media/presets';
import { canTransition, ProgressParser, progressFigures, type ProgressSnapshot } from '../../electron/domains/jobs';
import { defaultConcurrency } from '../../electron/domains/jobs';
import { tempDir } from '../helpers/tempDir';

// Pure functions: ProbeResult-shaped inputs in, ffmpeg arguments out. No ffmpeg runs here.

function stream(s: Partial<ProbeStream>): ProbeStream {
  return { index: 0, type: 'video', codec: 'h264', profile: null, pixFmt: 'yuv420p', bitDepth: 8, width: 1920, height: 1080, rotation: 0, fps: 25, sampleRate: null, channels: null, language: null, attachedPic: false, bitRate: null, ...s };
}
function probe(p: Partial<ProbeResult> = {}, streams: ProbeStream[] = [stream({}), stream({ index: 1, type: 'audio', codec: 'aac', pixFmt: null, bitDepth: null, width: null, height: null, sampleRate: 48000, channels: 2 })]): ProbeResult {
  const v = streams.find((s) => s.type === 'video');
  const display = v ? (v.rotation % 180 ? { width: v.height!, height: v.width! } : { width: v.width!, height: v.height! }) : null;
  return { container: 'mov,mp4,m4a,3gp,3g2,mj2', durationSec: 10, bitRate: 3_000_000, sizeBytes: 1, streams, display, kind: v ? 'video' : 'audio', ...p };
}
const web = resolveParams('web', {}).params as WebParams;
const ladder = resolveParams('ladder', {}).params as LadderParams;

function valueAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('web builder', () => {
  it('remuxes a compliant source with +faststart and copies streams', () => {
    const b = buildWebArgs('/v/a.mp4', probe(), web, '/o/a.mp4');
    expect(b.plan).toMatch(/^remux/);
    expect(valueAfter(b.args, '-c')).toBe('copy');
    expect(valueAfter(b.args, '-movflags')).toBe('+faststart');
    expect(valueAfter(b.args, '-i')).toBe('file:/v/a.mp4'); // never read as an option or a URL
    expect(b.args.slice(-3)).toEqual(['-f', 'mp4', '/o/a.mp4']);
    expect(b.args).toContain('-progress');
  });

  it('lists every reason a source needs an encode', () => {
    const p = probe({ container: 'matroska,webm' }, [stream({ codec: 'hevc', pixFmt: 'yuv420p10le', bitDepth: 10, width: 1921, height: 1081, rotation: 90 }), stream({ index: 1, type: 'audio', codec: 'opus' })]);
    const problems = webComplianceProblems(p, web);
    expect(problems).toEqual([
      'container matroska,webm is not MP4',
      'video codec hevc is not H.264',
      'pixel format yuv420p10le is not yuv420p',
      '10-bit video',
      'odd dimensions 1921x1081',
      'display rotation 90° is not applied',
      'audio codec opus is not AAC',
    ]);
  });

  it('encodes with CRF + maxrate cap, even size, yuv420p, AAC; downmixes 5.1', () => {
    const p = probe({}, [stream({ codec: 'hevc', width: 1280, height: 721 }), stream({ index: 1, type: 'audio', codec: 'ac3', channels: 6 })]);
    const b = buildWebArgs('/v/a.mkv', p, { ...web, crf: 21, maxrateKbps: 4000 }, '/o/a.mp4');
    expect(valueAfter(b.args, '-crf')).toBe('21');
    expect(valueAfter(b.args, '-maxrate')).toBe('4000k');
    expect(valueAfter(b.args, '-bufsize')).toBe('8000k');
    expect(valueAfter(b.args, '-vf')).toBe('scale=1280:720:flags=bicubic,setsar=1,format=yuv420p');
    expect(valueAfter(b.args, '-c:a')).toBe('aac');
    expect(valueAfter(b.args, '-ac')).toBe('2');
  });

  it('maps no audio when there is none, and scales down (never up) to maxHeight', () => {
    const p = probe({}, [stream({ codec: 'vp9' })]);
    const b = buildWebArgs('/v/a.webm', p, { ...web, maxHeight: 720 }, '/o/a.mp4');
    expect(b.args).not.toContain('0:a:0');
    expect(b.args).not.toContain('-c:a');
    expect(targetSize({ width: 1920, height: 1080 }, 720)).toEqual({ width: 1280, height: 720 });
    expect(targetSize({ width: 320, height: 240 }, 720)).toEqual({ width: 320, height: 240 });
    expect(targetSize({ width: 321, height: 241 }, null)).toEqual({ width: 320, height: 240 });
  });

  it('refuses audio-only input with advice', () => {
    const p = probe({}, [stream({ type: 'audio', codec: 'aac' })]);
    expect(() => buildWebArgs('/v/a.m4a', p, web, '/o/a.mp4')).toThrow(/only audio; use the audio preset/);
  });
});

describe('HLS and ladder builders', () => {
  it('HLS forces keyframes on segment boundaries and writes a VOD playlist', () => {
    const b = buildHlsArgs('/v/a.mp4', probe(), resolveParams('hls', { segmentSec: 6 }).params as never, '/o/a.hls');
    expect(valueAfter(b.args, '-force_key_frames')).toBe('expr:gte(t,n_forced*6)');
    expect(valueAfter(b.args, '-hls_time')).toBe('6');
    expect(valueAfter(b.args, '-hls_playlist_type')).toBe('vod');
    expect(b.args.at(-1)).toBe('/o/a.hls/index.m3u8');
  });

  it('plans renditions: none above the source, source-size ones unscaled, one kept for small sources', () => {
    expect(planRenditions({ width: 1280, height: 720 }, ladder.renditions).map((r) => [r.name, r.width, r.sourceSize])).toEqual([
      ['720p', 1280, true],
      ['480p', 852, false],
    ]);
    expect(planRenditions({ width: 320, height: 240 }, ladder.renditions)).toEqual([{ height: 240, videoKbps: 1400, width: 320, name: '240p', sourceSize: true }]);
  });

  it('ladder: one input, split once, one encoder per rendition, audio once in its own group', () => {
    const { command, renditions } = buildLadderArgs('/v/a.mp4', probe(), ladder, '/o/l');
    expect(renditions.map((r) => r.name)).toEqual(['1080p', '720p', '480p']);
    expect(command.args.filter((a) => a === '-i')).toHaveLength(1);
    const graph = valueAfter(command.args, '-filter_complex')!;
    // 1080p = the source: no scaler; 720p from the source; 480p from the 720p picture (cascade).
    expect(graph).toBe(
      '[0:v]format=yuv420p,split=2[v0][t0];[t0]scale=1280:720:flags=bicubic,setsar=1,format=yuv420p,split=2[v1][t1];[t1]scale=852:480:flags=bicubic,setsar=1,format=yuv420p[v2]',
    );
    expect(valueAfter(command.args, '-b:v:2')).toBe('1400k');
    expect(command.args.filter((a) => a === '-c:a')).toHaveLength(1);
    expect(valueAfter(command.args, '-var_stream_map')).toBe('a:0,agroup:aud,name:audio v:0,agroup:aud,name:1080p v:1,agroup:aud,name:720p v:2,agroup:aud,name:480p');
    expect(valueAfter(command.args, '-master_pl_name')).toBe('master.m3u8');
    const silent = buildLadderArgs('/v/a.mp4', probe({}, [stream({})]), ladder, '/o/l').command;
    expect(valueAfter(silent.args, '-var_stream_map')).toBe('v:0,name:1080p v:1,name:720p v:2,name:480p');
  });
});

describe('concat and overlays', () => {
  it('finds what differs between concat inputs; quotes list paths', () => {
    const a = { path: '/a.mp4', probe: probe() };
    const b = { path: "/it's.mp4", probe: probe({}, [stream({ width: 1280, height: 720 })]) };
    expect(concatMismatches([a, a])).toEqual([]);
    expect(concatMismatches([a, b]).join(';')).toMatch(/input 2 video .*1280x720.* differs[\s\S]*input 2 audio \(none\) differs/);
    expect(ffconcatList([b.path])).toBe("ffconcat version 1.0\nfile '/it'\\''s.mp4'\n");
  });

  it('places overlays in the corners with a margin', () => {
    expect(overlayPosition('bottom-right', 16)).toEqual({ x: 'W-w-16', y: 'H-h-16' });
    expect(overlayPosition('top-left', 0)).toEqual({ x: '0', y: '0' });
  });
});

describe('progress parsing', () => {
  it('parses -progress blocks split across chunks', () => {
    const got: ProgressSnapshot[] = [];
    const p = new ProgressParser((s) => got.push(s));
    p.push('frame=10\nfps=25.0\nout_time_us=400000\nspe');
    p.push('ed=1.5x\nprogress=continue\nframe=25\nfps=N/A\nout_time_us=N/A\nspeed=N/A\nprogress=end\n');
    expect(got).toEqual([
      { outTimeSec: 0.4, fps: 25, speed: 1.5, frame: 10, end: false },
      { outTimeSec: null, fps: null, speed: null, frame: 25, end: true },
    ]);
  });

  it('computes percent and ETA (from speed, else from elapsed time)', () => {
    const s = { outTimeSec: 2.5, fps: 50, speed: 2, frame: 1, end: false };
    expect(progressFigures(s, 10, 1)).toEqual({ percent: 25, etaSec: 3.8 });
    expect(progressFigures({ ...s, speed: null }, 10, 1)).toEqual({ percent: 25, etaSec: 3 });
    expect(progressFigures(s, null, 1)).toEqual({ percent: null, etaSec: null });
    // progress=end also ends a cancelled run: its percent is what was encoded, not 100.
    expect(progressFigures({ ...s, end: true }, 10, 1)).toEqual({ percent: 25, etaSec: null });
    expect(progressFigures({ ...s, outTimeSec: 10, end: true }, 10, 1)).toEqual({ percent: 100, etaSec: null });
  });
});

describe('queue rules and preset files', () => {
  it('state machine: only legal transitions', () => {
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'paused')).toBe(true);
    expect(canTransition('interrupted', 'queued')).toBe(true);
    expect(canTransition('done', 'queued')).toBe(false);
    expect(canTransition('queued', 'done')).toBe(false);
  });

  it('default concurrency follows the core count', () => {
    expect([1, 2, 4, 16].map(defaultConcurrency)).toEqual([1, 1, 2, 8]);
  });

  it('every built-in preset file is valid', () => {
    const list = loadPresets(tempDir('church-presets-'));
    expect(list.problems).toEqual([]);
    expect(list.presets.map((p) => p.kind).sort()).toEqual(['audio', 'avatar', 'concat', 'hls', 'ladder', 'sprite', 'thumbnail', 'watermark', 'web', 'web']);
  });

  it('rejects bad parameters with the field and the reason', () => {
    expect(() => resolveParams('ladder', {}, { renditions: [{ height: 720, videoKbps: 1000 }, { height: 720, videoKbps: 900 }] })).toThrow(/renditions: each rendition needs its own height/);
    expect(() => resolveParams('web', {}, { x264Preset: 'warp' })).toThrow(/x264Preset/);
  });
});
