import type { ProbeResult } from '../../../../shared/dto/probe';
import { buildPosterArgs, buildSpriteArgs as buildLibrarySpriteArgs, posterSeekSec, spriteGeometry, type SpriteGeometry } from '../thumbnailArgs';
import { fitLongSide } from './sizing';
import { displaySize, even, fmtSec, PresetError, type BuiltCommand } from './common';
import type { SpriteParams, ThumbnailParams } from './schema';

// The thumbnail and sprite presets follow the library's rules exactly: they call its builders and only add
// machine-readable progress, so a preset output and the library's own poster/sprite never disagree.
const PROGRESS = ['-progress', 'pipe:1', '-nostats'];

/** One JPEG frame at atSec, or where the library takes posters (10 % in, never past the end). */
export function buildThumbnailArgs(input: string, probe: ProbeResult, params: ThumbnailParams, output: string): BuiltCommand {
  const display = displaySize(probe, 'the thumbnail preset');
  if (params.atSec !== null && probe.durationSec !== null && params.atSec >= probe.durationSec) {
    throw new PresetError(`the thumbnail time ${params.atSec} s is past the end of the ${fmtSec(probe.durationSec)} s video; choose an earlier time`);
  }
  const seekSec = params.atSec ?? posterSeekSec(probe.durationSec);
  const size = fitLongSide(display, params.width);
  return { args: [...PROGRESS, ...buildPosterArgs({ input, output, seekSec, display, longSide: params.width })], plan: `frame at ${fmtSec(seekSec)} s, ${size.width}x${size.height}`, durationSec: null };
}

/** The sprite sheet (keyframes only, one pass); the WebVTT is written from the frame times ffmpeg logs. */
export function buildSpriteArgs(input: string, probe: ProbeResult, params: SpriteParams, output: string): BuiltCommand & { geometry: SpriteGeometry } {
  const display = displaySize(probe, 'the sprite preset');
  const geometry = spriteGeometry(probe.durationSec, display, { maxTiles: params.maxTiles, tileWidth: even(params.tileWidth), columns: params.columns });
  return {
    args: [...PROGRESS, ...buildLibrarySpriteArgs(input, output, geometry)],
    plan: `up to ${geometry.columns * geometry.rows} tiles of ${geometry.tileWidth}x${geometry.tileHeight}, one every ≥ ${geometry.intervalSec} s`,
    durationSec: probe.durationSec,
    geometry,
  };
}
