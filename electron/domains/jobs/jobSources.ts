import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import { probeFile, ProbeError } from '../../platform/media/probe';
import { PresetError, type OverlaySource } from '../../platform/media/presets';
import type { CueOverlayRenderer, JobLibrary } from './engineOptions';
import type { OverlayResolver, SourceMedia } from './planJob';

/** The library videos a job reads, each with its probe (probed now when the library has none stored). */
export async function loadSources(library: JobLibrary, ids: number[], env: NodeJS.ProcessEnv): Promise<SourceMedia[]> {
  const out: SourceMedia[] = [];
  for (const id of ids) {
    const v = library.getVideo(id);
    if (!v) throw new ChurchError('NOT_FOUND', `there is no video ${id} in the library; "church list" or "church search TEXT" shows the ids`);
    if (!existsSync(v.path)) throw new ChurchError('NOT_FOUND', `video ${id} is missing on disk (${v.path}); rescan its folder or restore the file`);
    const probe = v.probe ?? (await probeFile(v.path, { env }));
    out.push({ videoId: id, path: v.path, probe });
  }
  return out;
}

/**
 * render false (enqueue's dry build): the cue track is only checked for cues, and a list path that is never
 * written stands in for the rendered PNGs; rendering them is the job's work, not validation's.
 */
export function createOverlayResolver(env: NodeJS.ProcessEnv, avatar: CueOverlayRenderer | null, render: boolean): OverlayResolver {
  return {
    async overlayFile(path: string): Promise<OverlaySource> {
      if (!isAbsolute(path)) throw new PresetError(`the overlay file must be an absolute path, got "${path}"`);
      if (!existsSync(path)) throw new PresetError(`the overlay file ${path} does not exist; choose another image or video`);
      try {
        const p = await probeFile(path, { env });
        if (p.kind !== 'video') throw new PresetError(`${path} has only audio; an overlay must be an image or a video`);
        return { kind: 'video', path };
      } catch (e) {
        if (e instanceof ProbeError && e.reason === 'image') return { kind: 'image', path };
        if (e instanceof PresetError) throw e;
        throw new PresetError(`the overlay file ${path} is not a readable image or video (${(e as Error).message})`);
      }
    },
    async cueOverlay(videoId, o) {
      if (!avatar) return null;
      if (!render) return avatar.getTrack(videoId).cues.length > 0 ? { kind: 'concat', path: join(o.workDir, 'cues.ffconcat') } : null;
      const r = await avatar.renderCueOverlay(videoId, o);
      return r ? { kind: 'concat', path: r.path } : null;
    },
  };
}
