import type { ProbeResult } from '../../../../shared/dto/probe';
import { ffmpegInput } from '../thumbnailArgs';
import { audioStream, BASE_FLAGS, PresetError, type BuiltCommand } from './common';
import type { AudioParams } from './schema';

/** Codecs each output container carries as-is (stream copy); anything else is re-encoded. */
const COPYABLE: Record<AudioParams['format'], readonly string[]> = { m4a: ['aac', 'alac'], mp3: ['mp3'] };

export function audioExtension(params: AudioParams): string {
  return params.format;
}

/** Extracts the first audio track: stream copy when the container allows the codec, AAC/MP3 otherwise. */
export function buildAudioArgs(input: string, probe: ProbeResult, params: AudioParams, output: string): BuiltCommand {
  const a = audioStream(probe);
  if (!a) throw new PresetError('the video has no audio track, so there is nothing to extract');
  const copy = params.copyWhenPossible && a.codec !== null && COPYABLE[params.format].includes(a.codec);
  const args = [...BASE_FLAGS, '-i', ffmpegInput(input), '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1'];
  if (copy) args.push('-c:a', 'copy');
  else if (params.format === 'm4a') args.push('-c:a', 'aac', '-b:a', `${params.bitrateKbps}k`);
  else args.push('-c:a', 'libmp3lame', '-b:a', `${params.bitrateKbps}k`);
  if (params.format === 'm4a') args.push('-movflags', '+faststart', '-f', 'ipod', output);
  else args.push('-f', 'mp3', output);
  return {
    args,
    plan: copy ? `stream copy of the ${a.codec} track into ${params.format}` : `re-encode ${a.codec ?? 'unknown'} to ${params.format === 'm4a' ? 'AAC' : 'MP3'} ${params.bitrateKbps}k`,
    durationSec: probe.durationSec,
  };
}
