import type { MediaKind } from '../../../shared/dto/media';
import { getTransport } from './api';

/**
 * The one place that builds media URLs: `church-media://poster/12` inside Electron, `/media/poster/12` in
 * browser mode. Media is addressed by library id (and a file inside that item's folder), never by path.
 */
export function mediaUrl(kind: MediaKind, id: number, file?: string): string {
  return getTransport().mediaUrl(kind, id, file);
}

export const posterUrl = (videoId: number): string => mediaUrl('poster', videoId);
export const spriteImageUrl = (videoId: number): string => mediaUrl('sprite', videoId, 'sprite.jpg');
export const spriteVttUrl = (videoId: number): string => mediaUrl('sprite', videoId, 'sprite.vtt');
export const videoUrl = (videoId: number): string => mediaUrl('video', videoId);

/**
 * Filesystem paths of dropped files. Inside Electron the preload answers; a browser never reveals paths, so
 * in browser mode this returns [] and the Library offers a path field instead.
 */
export function droppedPaths(files: FileList | File[]): string[] {
  const bridge = window.churchFiles;
  if (!bridge) return [];
  return Array.from(files)
    .map((f) => bridge.pathForFile(f))
    .filter((p) => p.length > 0);
}
