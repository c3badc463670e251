import type { ProbeResult } from '../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { aacArgs, audioStream, BASE_FLAGS, displaySize, PresetError, targetSize, videoStream, x264Args, type BuiltCommand } from './common';
import type { ConcatParams } from './schema';

export interface ConcatInput {
  path: string;
  probe: ProbeResult;
}

/** Why the inputs cannot be joined by stream copy (empty when they can): every stream must match the first. */
export function concatMismatches(inputs: readonly ConcatInput[]): string[] {
  const first = inputs[0];
  if (!first) return ['no inputs'];
  const sig = (p: ProbeResult) => {
    const v = videoStream(p);
    const a = audioStream(p);
    return {
      video: v ? `${v.codec} ${v.width}x${v.height} ${v.pixFmt} ${v.fps?.toFixed(3)} rot${v.rotation}` : 'none',
      audio: a ? `${a.codec} ${a.sampleRate} Hz ${a.channels} ch` : 'none',
      container: p.container,
    };
  };
  const ref = sig(first.probe);
  const problems: string[] = [];
  inputs.slice(1).forEach((inp, i) => {
    const s = sig(inp.probe);
    if (s.video !== ref.video) problems.push(`input ${i + 2} video (${s.video}) differs from input 1 (${ref.video})`);
    if (s.audio !== ref.audio) problems.push(`input ${i + 2} audio (${s.audio}) differs from input 1 (${ref.audio})`);
    if (s.container !== ref.container) problems.push(`input ${i + 2} container differs`);
  });
  return problems;
}

/**
 * True when a path cannot be written into an ffconcat list safely: the list is line-based, so a CR or LF in a
 * file name would end the `file` line and let the rest of the name add directives or URLs (with -safe 0).
 */
export function unsafeForConcatList(path: string): boolean {
  return /[\r\n]/.test(path);
}

/** The ffconcat list for the concat demuxer (stream copy path). Paths are quoted the way the demuxer parses them. */
export function ffconcatList(paths: readonly string[]): string {
  const bad = paths.find(unsafeForConcatList);
  if (bad !== undefined) throw new PresetError(`the file name ${JSON.stringify(bad)} has a line break, which a concat list cannot hold; rename the file`);
  return ['ffconcat version 1.0', ...paths.map((p) => `file '${p.replace(/'/g, "'\\''")}'`)].join('\n') + '\n';
}

/**
 * Joins inputs end to end into one MP4. Stream copy through the concat demuxer when every input matches;
 * else a filter-graph concat that scales each part to the first input's size, normalises frame rate and
 * audio, and fills silence for inputs without audio (when any input has audio).
 */
export function buildConcatArgs(inputs: readonly ConcatInput[], params: ConcatParams, output: string, listPath: string): { command: BuiltCommand; list: string | null } {
  if (inputs.length < 2) throw new PresetError('concat needs at least two videos: pass the others as extraVideoIds');
  inputs.forEach((inp, i) => displaySize(inp.probe, `concat input ${i + 1}`));
  const total = inputs.reduce<number | null>((sum, i) => (sum === null || i.probe.durationSec === null ? null : sum + i.probe.durationSec), 0);
  const mismatches = concatMismatches(inputs);
  // A name with a line break goes through the filter-graph path, where each input is its own `-i file:…`.
  const unlistable = inputs.filter((i) => unsafeForConcatList(i.path)).length;
  if (params.copyWhenPossible && mismatches.length === 0 && unlistable === 0) {
    const hasAudio = !!audioStream(inputs[0]!.probe);
    return {
      command: {
        args: [...BASE_FLAGS, '-f', 'concat', '-safe', '0', '-i', listPath, '-map', '0:v:0', ...(hasAudio ? ['-map', '0:a:0'] : []), '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', output],
        plan: `stream copy of ${inputs.length} matching inputs`,
        durationSec: total,
      },
      list: ffconcatList(inputs.map((i) => i.path)),
    };
  }
  const size = targetSize(inputs[0]!.probe.display!, params.maxHeight);
  const fps = videoStream(inputs[0]!.probe)?.fps ?? 25;
  const anyAudio = inputs.some((i) => audioStream(i.probe));
  const args: string[] = [...BASE_FLAGS];
  inputs.forEach((i) => args.push('-i', ffmpegInput(i.path)));
  // Silent stand-ins for inputs without audio, each exactly as long as its video.
  const silence = new Map<number, number>();
  if (anyAudio) {
    inputs.forEach((inp, i) => {
      if (!audioStream(inp.probe)) {
        silence.set(i, inputs.length + silence.size);
        args.push('-f', 'lavfi', '-t', String(inp.probe.durationSec ?? 1), '-i', 'anullsrc=r=48000:cl=stereo');
      }
    });
  }
  const graph: string[] = [];
  const parts: string[] = [];
  inputs.forEach((inp, i) => {
    graph.push(`[${i}:v:0]scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p[v${i}]`);
    parts.push(`[v${i}]`);
    if (anyAudio) {
      const src = silence.has(i) ? `[${silence.get(i)}:a]` : `[${i}:a:0]`;
      graph.push(`${src}aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a${i}]`);
      parts.push(`[a${i}]`);
    }
  });
  graph.push(`${parts.join('')}concat=n=${inputs.length}:v=1:a=${anyAudio ? 1 : 0}[vout]${anyAudio ? '[aout]' : ''}`);
  args.push('-filter_complex', graph.join(';'), '-map', '[vout]');
  if (anyAudio) args.push('-map', '[aout]');
  args.push(...x264Args(params));
  if (anyAudio) args.push(...aacArgs(2, params.audioKbps));
  args.push('-movflags', '+faststart', '-f', 'mp4', output);
  const why = !params.copyWhenPossible
    ? 'stream copy disabled by the preset'
    : mismatches.length > 0
      ? mismatches.join('; ')
      : `${unlistable} input file name(s) with a line break cannot go into a concat list`;
  return { command: { args, plan: `re-encode ${inputs.length} inputs to ${size.width}x${size.height}: ${why}`, durationSec: total }, list: null };
}
