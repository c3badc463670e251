import { basename, extname, join } from 'node:path';
import type { OutputKind } from '../../../shared/dto/library';
import type { PresetKind } from '../../../shared/dto/jobs';
import type { ProbeResult } from '../../../shared/dto/probe';
import {
  buildAudioArgs,
  buildAvatarArgs,
  buildConcatArgs,
  buildHlsArgs,
  buildLadderArgs,
  buildSpriteArgs,
  buildThumbnailArgs,
  buildWatermarkArgs,
  buildWebArgs,
  PresetError,
  targetSize,
  type OverlaySource,
  type ResolvedPreset,
} from '../../platform/media/presets';
import { buildSpriteVtt, parseShowinfoTimes } from '../../platform/media/thumbnailArgs';

export interface SourceMedia {
  videoId: number | null;
  path: string;
  probe: ProbeResult;
}

/** How a preset's output is laid out on disk and registered in the library. */
export interface OutputShape {
  /** File extension (with the dot), or '' for a folder output. */
  ext: string;
  folder: boolean;
  /** Inside a folder output: the file whose presence and probe prove success (and that the player opens). */
  mainFile: string | null;
  registerKind: OutputKind;
}

export function outputShape(p: ResolvedPreset): OutputShape {
  switch (p.kind) {
    case 'web':
    case 'concat':
    case 'watermark':
    case 'avatar':
      return { ext: '.mp4', folder: false, mainFile: null, registerKind: 'video' };
    case 'hls':
      return { ext: '', folder: true, mainFile: 'index.m3u8', registerKind: 'hls' };
    case 'ladder':
      return { ext: '', folder: true, mainFile: 'master.m3u8', registerKind: 'hls' };
    case 'audio':
      return { ext: `.${p.params.format}`, folder: false, mainFile: null, registerKind: 'audio' };
    case 'thumbnail':
      return { ext: '.jpg', folder: false, mainFile: null, registerKind: 'image' };
    case 'sprite':
      return { ext: '', folder: true, mainFile: 'sprite.jpg', registerKind: 'sprite' };
  }
}

/** `<outDir>/<source stem>.<preset><ext>`: readable, and one per source and preset. */
export function defaultOutputPath(outDir: string, sourcePath: string, preset: string, shape: OutputShape): string {
  const stem = basename(sourcePath, extname(sourcePath)).replace(/[^\w.-]+/g, '_').slice(0, 80) || 'output';
  return join(outDir, `${stem}.${preset}${shape.ext}`);
}

/** The temp name a run writes to, in the output's own folder (so the final rename is atomic, same filesystem). */
export const TEMP_PREFIX = '.church-tmp-';
export function tempPathFor(finalPath: string, jobId: number, attempt: number): string {
  return join(finalPath, '..', `${TEMP_PREFIX}${jobId}-${attempt}-${basename(finalPath)}`);
}

/** What the engine checks in the finished output before it renames it into place. */
export interface Expectation {
  video: boolean;
  /** true: must have audio; false: must not; null: either. */
  audio: boolean | null;
  image: boolean;
}

export interface PreparedRun {
  args: string[];
  plan: string;
  durationSec: number | null;
  expect: Expectation;
  /** Files to write into the work dir before ffmpeg starts (the concat list). */
  workFiles: { path: string; content: string }[];
  /** Set for the sprite: ffmpeg's log lines to keep (showinfo frame times, for the WebVTT). */
  keepStderr: RegExp | null;
  /** Set for the sprite: builds files to add to the output folder from the kept lines. */
  afterRun: ((kept: string[]) => { name: string; content: string }[]) | null;
}

export interface OverlayResolver {
  /** The watermark image or avatar file, classified (image or video), or a thrown error that says why not. */
  overlayFile(path: string): Promise<OverlaySource>;
  /** The cue track as an ffconcat list, rendered into workDir; null when the video has none. */
  cueOverlay(videoId: number, opts: { width: number; height: number; durationSec: number; workDir: string; fps?: number | null }): Promise<OverlaySource | null>;
}

function hasAudio(p: ProbeResult): boolean {
  return p.streams.some((s) => s.type === 'audio');
}

/**
 * Builds the ffmpeg run of a job: every "impossible for this input" problem surfaces here as a PresetError,
 * which enqueue calls too (with a throwaway work dir), so it is reported before the job is queued.
 */
export async function prepareRun(
  preset: ResolvedPreset,
  sources: readonly SourceMedia[],
  target: string,
  workDir: string,
  overlays: OverlayResolver,
): Promise<PreparedRun> {
  const src = sources[0];
  if (!src) throw new PresetError('no input');
  const base = { workFiles: [] as PreparedRun['workFiles'], keepStderr: null, afterRun: null };
  const videoOut = (audio: boolean): Expectation => ({ video: true, audio, image: false });
  switch (preset.kind) {
    case 'web':
      return { ...base, ...buildWebArgs(src.path, src.probe, preset.params, target), expect: videoOut(hasAudio(src.probe)) };
    case 'hls':
      return { ...base, ...buildHlsArgs(src.path, src.probe, preset.params, target), expect: videoOut(hasAudio(src.probe)) };
    case 'ladder': {
      const { command } = buildLadderArgs(src.path, src.probe, preset.params, target);
      return { ...base, ...command, expect: videoOut(hasAudio(src.probe)) };
    }
    case 'audio':
      return { ...base, ...buildAudioArgs(src.path, src.probe, preset.params, target), expect: { video: false, audio: true, image: false } };
    case 'thumbnail':
      return { ...base, ...buildThumbnailArgs(src.path, src.probe, preset.params, target), expect: { video: false, audio: null, image: true } };
    case 'sprite': {
      const built = buildSpriteArgs(src.path, src.probe, preset.params, join(target, 'sprite.jpg'));
      return {
        ...base,
        args: built.args,
        plan: built.plan,
        durationSec: built.durationSec,
        expect: { video: false, audio: null, image: true },
        keepStderr: /Parsed_showinfo.*pts_time/,
        afterRun: (kept) => [{ name: 'sprite.vtt', content: buildSpriteVtt(parseShowinfoTimes(kept.join('\n')), src.probe.durationSec, built.geometry) }],
      };
    }
    case 'concat': {
      const listPath = join(workDir, 'inputs.ffconcat');
      const { command, list } = buildConcatArgs(sources, preset.params, target, listPath);
      const anyAudio = sources.some((s) => hasAudio(s.probe));
      return { ...base, ...command, workFiles: list ? [{ path: listPath, content: list }] : [], expect: videoOut(anyAudio) };
    }
    case 'watermark': {
      const image = await overlays.overlayFile(preset.params.imagePath);
      return { ...base, ...buildWatermarkArgs(src.path, src.probe, preset.params, image, target), expect: videoOut(hasAudio(src.probe)) };
    }
    case 'avatar': {
      const p = preset.params;
      let overlay: OverlaySource;
      if (p.source === 'cue-track') {
        if (src.videoId === null) throw new PresetError('the cue-track overlay needs a library video (its cue track is stored per video)');
        if (!src.probe.display || src.probe.durationSec === null) throw new PresetError('the cue-track overlay needs a video with a known size and duration');
        // Rendered at the output's size (after maxHeight), since the PNGs are full frames overlaid at 0:0.
        // The avatar is evaluated at every frame's time, as the preview does for the frame it shows.
        const fps = src.probe.streams.find((s) => s.type === 'video' && !s.attachedPic)?.fps ?? null;
        const cue = await overlays.cueOverlay(src.videoId, { ...targetSize(src.probe.display, p.maxHeight), durationSec: src.probe.durationSec, workDir, fps });
        if (!cue) throw new PresetError('this video has no avatar cue track; record cues in the preview first, or choose source "file" with an image or video');
        overlay = cue;
      } else {
        if (!p.file) throw new PresetError('choose the avatar image or video (params.file), or use source "cue-track"');
        overlay = await overlays.overlayFile(p.file);
      }
      return { ...base, ...buildAvatarArgs(src.path, src.probe, p, overlay, target), expect: videoOut(hasAudio(src.probe)) };
    }
  }
}

export function kindLabel(kind: PresetKind): string {
  return kind === 'avatar' ? 'avatar overlay' : kind;
}
