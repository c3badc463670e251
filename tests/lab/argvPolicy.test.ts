import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeStream } from '../../shared/dto/probe';
import type { PresetKind } from '../../shared/dto/jobs';
import { prepareRun, type SourceMedia } from '../../electron/domains/jobs';
import { unitsFor } from '../../electron/domains/jobs/chunks/runChunkedJob';
import { agentArgv, ArgvRefused, labArgvProblem, sourceUrlProblem } from '../../electron/domains/lab/agent/argvPolicy';
import { parseFilterGraph } from '../../electron/domains/lab/agent/filterGraph';
import { resolveSource } from '../../electron/domains/lab/agent/jobArgs';
import { softwareFallbackArgs } from '../../electron/domains/lab/fallback';
import { LAB_KINDS } from '../../electron/domains/lab/labExecutor';
import { unitInputs } from '../../electron/domains/lab/labChunkRunner';
import { OUTPUT_TOKEN, SOURCE_TOKEN } from '../../electron/domains/lab/protocol';
import { loadPresets, resolveParams } from '../../electron/platform/media/presets';

// Issue #25 item 5: an agent runs only what a preset builds. Pure: arguments in, the policy's answer out; the real
// agent refusing a signed `-f data` job is tests/lab/labArgv.test.ts.

const OUT = OUTPUT_TOKEN;
const SRC = SOURCE_TOKEN(0);
/** A preset-shaped command around `middle` (the web preset's flags, one source, the agent's own output). */
const shaped = (middle: string[], tail: string[] = ['-f', 'mp4', OUT]) => ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-i', SRC, ...middle, ...tail];

describe('the argv policy refuses what no preset builds', () => {
  it("refuses the review's argv: -f data from a data: URL to any path", () => {
    const review = ['-f', 'data', '-i', 'data:text/plain;base64,ZWNobyBwd25lZAo=', '-map', '0', '-c', 'copy', '-f', 'data', '/home/owner/.bashrc'];
    expect(labArgvProblem(review, 0)).toMatch(/-f data/);
    expect(labArgvProblem(review, 1)).toMatch(/-f data/);
  });

  // Known ffmpeg tricks to read or write a file besides the job's own source and output; each is refused.
  const tricks: [string, string[], RegExp][] = [
    ['-f data output', shaped(['-map', '0:v:0'], ['-f', 'data', OUT]), /output format "-f data"/],
    ['a second output outside the work folder', shaped(['-map', '0:v:0', '-f', 'mp4', '/home/owner/x.mp4']), /not the agent's own output/],
    ['the output replaced by a path', shaped(['-map', '0:v:0'], ['-f', 'mp4', '/home/owner/.ssh/authorized_keys']), /not the agent's own output/],
    ['options after the output', [...shaped([]), '-f', 'data', '/tmp/x'], /not the last argument|not the agent's own output/],
    ['an input format: -f data', ['-f', 'data', '-i', SRC, '-f', 'mp4', OUT], /"-f data" before an input/],
    ['a device as input', ['-f', 'v4l2', '-i', '/dev/video0', '-f', 'mp4', OUT], /before an input/],
    ['lavfi movie source', ['-f', 'lavfi', '-i', 'movie=/etc/passwd', '-f', 'mp4', OUT], /before an input/],
    ['a concat list', ['-f', 'concat', '-safe', '0', '-i', 'file:/tmp/list.txt', '-f', 'mp4', OUT], /before an input/],
    ['a data: input', ['-i', 'data:;base64,AAAA', '-f', 'mp4', OUT], /not one of the job's sources/],
    ['a file: input', ['-i', 'file:/etc/shadow', '-f', 'mp4', OUT], /not one of the job's sources/],
    ['a bare path input', ['-i', '/home/owner/.ssh/id_ed25519', '-f', 'mp4', OUT], /not one of the job's sources/],
    ['concat: protocol', ['-i', 'concat:/etc/passwd|/etc/shadow', '-f', 'mp4', OUT], /not one of the job's sources/],
    ['subfile: protocol', ['-i', 'subfile:,,start,0,end,0,,:/etc/passwd', '-f', 'mp4', OUT], /not one of the job's sources/],
    ['a source the job does not have', ['-i', SOURCE_TOKEN(3), '-f', 'mp4', OUT], /not one of the job's sources/],
    ['its own protocol whitelist', ['-protocol_whitelist', 'file,data,concat', '-i', SRC, '-f', 'mp4', OUT], /"-protocol_whitelist"/],
    ['-dump_attachment', ['-dump_attachment:t', '', '-i', SRC, '-f', 'mp4', OUT], /"-dump_attachment:t"/],
    ['-attach', shaped(['-attach', '/etc/passwd']), /"-attach"/],
    ['-passlogfile', shaped(['-pass', '1', '-passlogfile', '/home/owner/.profile']), /"-pass"/],
    ['-vstats_file', shaped(['-vstats_file', '/home/owner/.profile']), /"-vstats_file"/],
    ['-report', shaped(['-report']), /"-report"/],
    ['-progress to a file', ['-progress', '/home/owner/.profile', '-i', SRC, '-f', 'mp4', OUT], /-progress/],
    ['-stats_file', shaped(['-stats_file', '/tmp/x']), /"-stats_file"/],
    ['-sdp_file', shaped(['-sdp_file', '/home/owner/.profile']), /"-sdp_file"/],
    ['-filter_script', shaped(['-filter_script:v', '/tmp/graph']), /"-filter_script:v"/],
    ['-filter_complex_script', shaped(['-filter_complex_script', '/tmp/graph']), /"-filter_complex_script"/],
    ['ffmpeg 7 option from a file', shaped(['-/filter_complex', '/tmp/graph']), /"-\/filter_complex"/],
    ['-x264-params stats file', shaped(['-c:v', 'libx264', '-x264-params', 'pass=1:stats=/tmp/x']), /"-x264-params"/],
    ['-fpre preset file', shaped(['-fpre', '/tmp/p.ffpreset']), /"-fpre"/],
    ['-hls_key_info_file', shaped([], ['-f', 'hls', '-hls_key_info_file', '/tmp/k', OUT]), /output format "-f hls"/],
    ['-f tee with a path', shaped(['-map', '0:v:0'], ['-f', 'tee', OUT]), /output format "-f tee"/],
    ['-f segment', shaped([], ['-f', 'segment', OUT]), /output format "-f segment"/],
    ['-f image2 patterns elsewhere', shaped([], ['-f', 'image2', '/tmp/%d.jpg']), /not the agent's own output/],
    ['a device encoder init', ['-init_hw_device', 'vaapi=va:/dev/dri/renderD128', '-i', SRC, '-f', 'mp4', OUT], /"-init_hw_device"/],
    ['an unknown encoder', shaped(['-c:v', 'libx264rgb;rm']), /the encoder/],
    ['movie= filter', shaped(['-vf', 'movie=/etc/passwd[m];[in][m]overlay']), /filter "movie"/],
    ['amovie= filter', shaped(['-filter_complex', 'amovie=/home/owner/.ssh/id_ed25519']), /filter "amovie"/],
    ['subtitles= with a path', shaped(['-vf', 'scale=640:360,subtitles=/etc/passwd']), /filter "subtitles"/],
    ['ass= with a path', shaped(['-vf', 'ass=/tmp/x.ass']), /filter "ass"/],
    ['drawtext textfile', shaped(['-vf', "drawtext=textfile=/etc/passwd:fontfile='/tmp/f.ttf'"]), /filter "drawtext"/],
    ['sendcmd f=', shaped(['-vf', 'sendcmd=f=/tmp/cmds,scale=640:360']), /filter "sendcmd"/],
    ['lut3d file', shaped(['-vf', 'lut3d=/tmp/x.cube']), /filter "lut3d"/],
    ['haldclut', shaped(['-filter_complex', '[0:v][1:v]haldclut']), /filter "haldclut"/],
    ['metadata file= writes', shaped(['-vf', 'metadata=mode=print:file=/home/owner/.profile']), /filter "metadata"/],
    ['psnr stats_file writes', shaped(['-filter_complex', '[0:v][0:v]psnr=stats_file=/home/owner/.profile']), /filter "psnr"/],
    ['an allowed filter with an option from a file (ffmpeg 7)', shaped(['-vf', 'scale=/w=/etc/passwd']), /starts with "\/"/],
    ['a quote inside a link label hiding a filter', shaped(['-filter_complex', "[in']scale=640:360,movie=/etc/passwd[x]'"]), /link label/],
    ['an instance name on a forbidden filter', shaped(['-vf', 'movie@x=/etc/passwd']), /filter "movie"/],
    ['-af audio filters', shaped(['-af', 'amovie=/etc/passwd']), /"-af"/],
    ['-filter:a amovie', shaped(['-filter:a', 'amovie=/etc/passwd']), /filter "amovie"/],
    ['-movflags beyond faststart', shaped(['-movflags', '+faststart+frag_custom']), /value/],
    ['a token where a value goes', shaped(['-preset', OUT]), /value/],
  ];
  it.each(tricks)('refuses %s', (_name, args, reason) => {
    expect(labArgvProblem(args, 1)).toMatch(reason);
    expect(() => agentArgv(args, ['http://studio:1/lab/source/t'], '/agent/lab-work/1/out.mp4')).toThrow(ArgvRefused);
  });

  it('refuses a source URL that is not http(s): data:, file:, concat:, subfile:, pipe:, ftp:, a bare path', () => {
    for (const url of ['data:;base64,AAAA', 'file:/etc/passwd', 'concat:/a|/b', 'subfile:,,start,0,end,0,,:/etc/passwd', 'pipe:0', 'ftp://h/x', '/etc/passwd']) {
      expect(sourceUrlProblem(url), url).not.toBeNull();
    }
    expect(sourceUrlProblem('file:/etc/passwd')).toMatch(/"file:"/);
    expect(sourceUrlProblem('http://studio:1/lab/source/t?exp=1&sig=s')).toBeNull();
    expect(sourceUrlProblem('https://studio/lab/source/t')).toBeNull();
  });

  it('runs the arguments with its own sources and output, a fixed protocol whitelist before each input', () => {
    const args = ['-ss', '1.000000', '-i', SOURCE_TOKEN(0), '-stream_loop', '-1', '-i', SOURCE_TOKEN(1), '-map', '0:v:0', '-f', 'mp4', OUT];
    expect(agentArgv(args, ['http://studio:1/lab/source/a', 'file:/mnt/nas/logo.png'], '/agent/w/out.mp4')).toEqual([
      '-ss', '1.000000', '-protocol_whitelist', 'http,https,tcp,tls', '-i', 'http://studio:1/lab/source/a',
      '-stream_loop', '-1', '-protocol_whitelist', 'file', '-i', 'file:/mnt/nas/logo.png',
      '-map', '0:v:0', '-f', 'mp4', '/agent/w/out.mp4',
    ]);
    expect(() => agentArgv(args, ['data:;base64,AAAA', 'file:/x'], '/agent/w/out.mp4')).toThrow(/neither a mapped file nor an http/);
  });

  it('reads a mapped source only inside its mount: ".." in the studio path falls back to the signed URL', () => {
    const map = [{ from: '/srv/media', to: '/mnt/nas/media' }];
    const url = 'http://studio:1/lab/source/x';
    expect(resolveSource({ path: '/srv/media/../../home/owner/.ssh/id_ed25519', url }, map, () => true)).toBe(url);
    expect(resolveSource({ path: '/srv/media/a/../b.mp4', url }, map, () => true)).toBe('file:/mnt/nas/media/b.mp4');
  });

  it('reads filter graphs as libavfilter does: quotes, escapes and labels', () => {
    expect(parseFilterGraph("select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,4)',scale=160:90,showinfo,tile=10x10").map((f) => f.name)).toEqual(['select', 'scale', 'showinfo', 'tile']);
    expect(parseFilterGraph('[0:v:0]scale=1:2[base];[1:v:0]format=rgba[ov];[base][ov]overlay=x=W-w-16:y=16[vout]').map((f) => f.name)).toEqual(['scale', 'format', 'overlay']);
    // An escaped or quoted comma stays in the filter's options: ffmpeg sees one filter, not a movie source.
    expect(parseFilterGraph('scale=1:1\\,movie=/etc/passwd').map((f) => f.name)).toEqual(['scale']);
    expect(parseFilterGraph("scale='1:1,movie=/x'").map((f) => f.name)).toEqual(['scale']);
  });
});

// ---- every preset the studio ships still passes ----

function stream(s: Partial<ProbeStream>): ProbeStream {
  return { index: 0, type: 'video', codec: 'h264', profile: null, pixFmt: 'yuv420p', bitDepth: 8, width: 1920, height: 1080, rotation: 0, fps: 25, sampleRate: null, channels: null, language: null, attachedPic: false, bitRate: null, ...s };
}
const audio = (codec: string, channels = 2) => stream({ index: 1, type: 'audio', codec, pixFmt: null, bitDepth: null, width: null, height: null, sampleRate: 48000, channels });
const probe = (streams: ProbeStream[], container = 'mov,mp4,m4a,3gp,3g2,mj2'): ProbeResult => ({ container, durationSec: 12.016666666666667, bitRate: 3_000_000, sizeBytes: 1, streams, display: { width: 1920, height: 1080 }, kind: 'video' });
/** A web-ready MP4 (remuxed), an MKV with 5.1 Opus (encoded, downmixed), an HEVC one with MP3 audio (re-encoded). */
const PROBES: ProbeResult[] = [probe([stream({}), audio('aac')]), probe([stream({ codec: 'vp9', pixFmt: 'yuv420p10le', bitDepth: 10 }), audio('opus', 6)], 'matroska,webm'), probe([stream({ codec: 'hevc' }), audio('mp3')])];

const SOURCE = '/srv/media/sermon.mp4';
const overlays = {
  overlayFile: async (path: string) => ({ kind: path.endsWith('.mp4') ? ('video' as const) : ('image' as const), path }),
  cueOverlay: async (_id: number, o: { workDir: string }) => ({ kind: 'concat' as const, path: join(o.workDir, 'cues.ffconcat') }),
};
/** Per-job values the owner gives when queueing, and the encoders the web preset offers. */
const VARIANTS: Partial<Record<PresetKind, Record<string, unknown>[]>> = {
  web: [{}, { remuxWhenCompliant: false }, { encoder: 'h264_nvenc' }, { encoder: 'h264_qsv', maxHeight: 720 }],
  audio: [{}, { format: 'mp3' }, { copyWhenPossible: false }],
  thumbnail: [{}, { atSec: 3.5, width: 320 }],
  watermark: [{ imagePath: '/srv/media/logo.png' }, { imagePath: '/srv/media/logo.mp4', opacity: 1 }],
  avatar: [{ file: '/srv/media/avatar.png' }, { file: '/srv/media/avatar.mp4' }, { source: 'cue-track' }],
};

/** What the studio sends for a run: its args with the sources and the output replaced by tokens (LabRunner.start). */
function asSent(args: readonly string[], sourcePaths: readonly string[], tempPath: string): string[] {
  return args.map((a) => {
    if (a === tempPath) return OUTPUT_TOKEN;
    const i = sourcePaths.findIndex((p) => a === p || a === `file:${p}`);
    return i >= 0 ? SOURCE_TOKEN(i) : a;
  });
}

/** Every command of a built-in preset that can reach an agent: the whole job (lab kinds), its fallback, its chunk units. */
async function labCommands(kind: PresetKind, params: Record<string, unknown>, p: ProbeResult): Promise<{ what: string; args: string[]; sources: number }[]> {
  const media: SourceMedia = { videoId: 1, path: SOURCE, probe: p };
  const temp = '/srv/media/out/.church-tmp-1-1-sermon.x';
  const run = await prepareRun(resolveParams(kind, params), kind === 'concat' ? [media, { ...media, videoId: 2, path: '/srv/media/b.mp4' }] : [media], temp, '/data/work/1', overlays);
  const out: { what: string; args: string[]; sources: number }[] = [];
  if (LAB_KINDS.has(kind)) {
    const sent = asSent(run.args, [SOURCE], temp);
    out.push({ what: 'whole job', args: sent, sources: 1 });
    const fallback = softwareFallbackArgs(sent);
    if (fallback) out.push({ what: 'software fallback', args: fallback, sources: 1 });
  }
  if ('chunkSeconds' in resolveParams(kind, params).params) {
    const chunks = [0, 1].map((index) => ({ index, startSec: index * 4.004, frames: 100, durationSec: 4 }));
    const units = unitsFor(1, run.args, chunks, '/data/work/1/chunks', { overlayPeriodSec: 2.5, segmentSec: kind === 'hls' ? 4 : null });
    for (const u of units) {
      const inputs = unitInputs(u.args);
      if (!inputs) continue; // a concat-list input (the cue track): the lab chunk runner keeps such a unit here
      out.push({ what: u.label, args: asSent(u.args, inputs, u.partPath), sources: inputs.length });
    }
  }
  return out;
}

describe('every preset the studio ships passes the policy', () => {
  const { presets, problems } = loadPresets('/nonexistent-user-presets');

  it('loads the built-in presets', () => {
    expect(problems).toEqual([]);
    expect(presets.map((p) => p.name).sort()).toEqual(['audio', 'avatar-overlay', 'concat', 'hls', 'ladder', 'sprite', 'thumbnail', 'watermark', 'web', 'web-720']);
  });

  it.each(presets.map((p) => [p.name, p] as const))('%s: every command an agent can get passes', async (_name, preset) => {
    let checked = 0;
    for (const variant of VARIANTS[preset.kind] ?? [{}]) {
      for (const p of PROBES) {
        for (const c of await labCommands(preset.kind, { ...preset.params, ...variant }, p)) {
          expect(labArgvProblem(c.args, c.sources), `${preset.name} ${JSON.stringify(variant)} ${c.what}: ${c.args.join(' ')}`).toBeNull();
          checked++;
        }
      }
    }
    // Kinds that write a folder or read a list (HLS, ladder, sprite, concat) never go to an agent whole; the
    // lab gets their chunk units at most, which are checked above.
    if (LAB_KINDS.has(preset.kind) || ['web', 'hls', 'watermark', 'avatar'].includes(preset.kind)) expect(checked).toBeGreaterThan(0);
  });

  it("keeps the cue track's units on the studio: their concat-list input (after -safe 0) is no source an agent can read", () => {
    const args = ['-ss', '4.000000', '-i', `file:${SOURCE}`, '-f', 'concat', '-safe', '0', '-i', 'file:/data/work/1/cues.ffconcat', '-filter_complex', '[0:v:0]scale=2:2[base];[1:v:0]format=rgba[ov];[base][ov]overlay[vout]', '-map', '[vout]', '-f', 'mp4', '/w/c.mp4'];
    expect(unitInputs(args)).toBeNull();
    expect(unitInputs(['-stream_loop', '-1', '-i', 'file:/a.mp4', '-i', 'file:/b.png', '-f', 'mp4', '/w/c.mp4'])).toEqual(['/a.mp4', '/b.png']);
  });

  it('refuses the whole commands of the kinds the lab never runs (a routing change would fail loudly, not write)', async () => {
    for (const kind of ['hls', 'ladder'] as const) {
      const run = await prepareRun(resolveParams(kind, {}), [{ videoId: 1, path: SOURCE, probe: PROBES[0]! }], '/srv/media/out/x', '/data/work/1', overlays);
      expect(LAB_KINDS.has(kind)).toBe(false);
      expect(labArgvProblem(asSent(run.args, [SOURCE], '/srv/media/out/x'), 1)).not.toBeNull();
    }
  });
});
