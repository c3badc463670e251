import { useEffect } from 'react';
import { spriteImageUrl, spriteVttUrl } from '../../lib/media';
import { cueAt, loadSpriteSheet } from '../../lib/spriteVtt';
import type { VjsPlayer } from './Player';

/** The preview tile's width on the seek bar; its height follows the video's shape (a portrait clip is tall). */
const TILE_WIDTH = 160;

/**
 * Hovering the seek bar shows the frame at that point, from the scrub sprite the library made at import (no
 * decoding, no request per position). Nothing shows while a video has no sprite yet.
 */
export function useSeekPreview(player: VjsPlayer | null, videoId: number): void {
  useEffect(() => {
    // A player disposed while the page was away (Back from another screen) has no element any more.
    if (!player || player.isDisposed()) return;
    const control = player.el()?.querySelector<HTMLElement>('.vjs-progress-control');
    const holder = control?.querySelector<HTMLElement>('.vjs-progress-holder');
    if (!control || !holder) return;
    const tile = document.createElement('div');
    tile.className = 'pv-seek-preview';
    tile.dataset.testid = 'seek-preview';
    tile.hidden = true;
    control.appendChild(tile);
    let alive = true;
    const image = spriteImageUrl(videoId);
    const sheet = loadSpriteSheet(spriteVttUrl(videoId), image);

    const onMove = (e: PointerEvent) => {
      const box = holder.getBoundingClientRect();
      if (box.width <= 0) return;
      const fraction = (e.clientX - box.left) / box.width;
      void sheet.then((s) => {
        const cue = s && alive ? cueAt(s, fraction) : null;
        if (!cue || !s) return;
        const scale = TILE_WIDTH / cue.w;
        tile.style.width = `${TILE_WIDTH}px`;
        tile.style.height = `${Math.round(cue.h * scale)}px`;
        tile.style.backgroundImage = `url("${image}")`;
        tile.style.backgroundSize = `${s.width * scale}px ${s.height * scale}px`;
        tile.style.backgroundPosition = `-${cue.x * scale}px -${cue.y * scale}px`;
        // Kept inside the player, so the tile of the first and last seconds is not cut off.
        const left = Math.min(Math.max(e.clientX - box.left - TILE_WIDTH / 2, 0), Math.max(box.width - TILE_WIDTH, 0));
        tile.style.left = `${left + (box.left - control.getBoundingClientRect().left)}px`;
        tile.dataset.start = String(cue.start);
        tile.hidden = false;
      });
    };
    const onLeave = () => {
      tile.hidden = true;
    };
    control.addEventListener('pointermove', onMove);
    control.addEventListener('pointerleave', onLeave);
    return () => {
      alive = false;
      control.removeEventListener('pointermove', onMove);
      control.removeEventListener('pointerleave', onLeave);
      tile.remove();
    };
  }, [player, videoId]);
}
