import { useEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';
import {
  avatarFrameAt,
  bubbleFontsLoaded,
  drawAvatarFrameBox,
  frameKey,
  frameTime,
  placeAvatarFrame,
  type LoudnessTrack,
} from '../../../../shared/avatar';
import type { OverlaySettings } from '../../../../shared/dto/avatar';
import { ensureBubbleFonts } from './bubbleFonts';
import type { VjsPlayer } from './Player';
import { usePreview } from './store';

/** A number per expression list seen, so a changed list redraws the picture. */
const faceVersions = new WeakMap<object, number>();
let faceVersionCount = 0;
function faceVersion(faces: object): number {
  const known = faceVersions.get(faces);
  if (known !== undefined) return known;
  faceVersions.set(faces, ++faceVersionCount);
  return faceVersionCount;
}

interface Props {
  player: VjsPlayer;
  settings: OverlaySettings;
  /** The original's frame size: the bake draws at this size, so the preview does too and lets CSS scale it. */
  frame: { width: number; height: number };
  /** The video's frame rate: the avatar is evaluated at the time of the frame shown, as the bake does. */
  fps: number | null;
  /** Lip sync: the video's loudness track (null: the mouth follows only speech spans). */
  loudness: LoudnessTrack | null;
  /** Seeds the blinks, so the bake blinks on the same frames. */
  videoId: number;
}

/**
 * The avatar layered over the player (inside video.js's element, so it follows fullscreen, under the control
 * bar). Every animation frame it asks avatarFrameAt for the time of the video frame on screen and redraws only
 * when the picture changes; the pixels come from the same drawAvatarFrameBox the bake uses, at the frame's own
 * resolution.
 */
export function AvatarOverlay({ player, settings, frame, fps, loudness, videoId }: Props) {
  const layer = useMemo(() => {
    const div = document.createElement('div');
    div.className = 'pv-avatar-layer';
    return div;
  }, []);
  const canvas = useRef<HTMLCanvasElement>(null);
  const latest = useRef({ settings, frame, fps, loudness, videoId });
  latest.current = { settings, frame, fps, loudness, videoId };

  useEffect(() => {
    void ensureBubbleFonts();
  }, []);

  useEffect(() => {
    const root = player.el() as HTMLElement;
    const controls = root.querySelector('.vjs-control-bar');
    root.insertBefore(layer, controls);
    return () => layer.remove();
  }, [player, layer]);

  useEffect(() => {
    let raf = 0;
    let drawn = '';
    let placed = '';
    const draw = () => {
      const c = canvas.current;
      if (!c || player.isDisposed()) return;
      const { settings, frame, fps, loudness, videoId } = latest.current;
      // The cue track is read from the store, not passed down: a new cue must not wait for a React render.
      const { cues, faces, faceImage } = usePreview.getState();
      const t = frameTime(player.currentTime() ?? 0, fps);
      const f = avatarFrameAt(cues, t, { loudness: settings.lipSync ? loudness : null, blinkSeed: settings.blink ? videoId : null });
      const p = placeAvatarFrame(settings, f, frame.width, frame.height);
      // A picked face shows once its picture arrived (until then only the bubble, not the built-in face).
      const face = settings.source.kind === 'builtin' || faceImage !== null;
      const key = `${frameKey(f)}|${p.size}|${settings.opacity}|${face}|${bubbleFontsLoaded()}|${faceVersion(faces)}|${faceImage ? faceVersion(faceImage) : 0}`;
      if (key !== drawn) {
        drawn = key;
        if (c.width !== p.size) c.width = p.size;
        if (c.height !== p.size) c.height = p.size;
        const rgba = drawAvatarFrameBox(settings, f, p.size, { face, faces, faceImage });
        c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), p.size, p.size), 0, 0);
        c.dataset.expression = f.expression;
        c.dataset.say = f.say ?? '';
        c.dataset.mouth = String(f.mouth);
        c.dataset.face = faceImage ? 'picture' : face ? 'drawn' : 'none';
        c.dataset.drawnAt = String(Date.now());
      }
      // The frame time the picture stands for (tests and the bench wait for it), even when nothing changed.
      const shownAt = t.toFixed(3);
      if (c.dataset.time !== shownAt) c.dataset.time = shownAt;
      // The video's picture inside the player (video.js letterboxes in fullscreen): place the box on it.
      const root = player.el() as HTMLElement;
      const scale = Math.min(root.clientWidth / frame.width, root.clientHeight / frame.height);
      const ox = (root.clientWidth - frame.width * scale) / 2;
      const oy = (root.clientHeight - frame.height * scale) / 2;
      const box = `${ox + p.x * scale}|${oy + p.y * scale}|${p.size * scale}`;
      if (box !== placed) {
        placed = box;
        c.dataset.corner = p.corner;
        c.style.left = `${ox + p.x * scale}px`;
        c.style.top = `${oy + p.y * scale}px`;
        c.style.width = `${p.size * scale}px`;
        c.style.height = `${p.size * scale}px`;
      }
    };
    const tick = () => {
      raf = requestAnimationFrame(tick);
      draw();
    };
    raf = requestAnimationFrame(tick);
    // A cue (an agent's, an edit) is drawn in the task that brought it: waiting for React to re-render the pane
    // and for the next animation frame cost an agent's cue tens of milliseconds.
    const off = usePreview.subscribe((s, prev) => {
      if (s.cues !== prev.cues || s.faces !== prev.faces || s.faceImage !== prev.faceImage) draw();
    });
    return () => {
      cancelAnimationFrame(raf);
      off();
    };
  }, [player]);

  return createPortal(<canvas ref={canvas} className="pv-avatar-canvas" data-testid="avatar-canvas" hidden={!settings.visible} />,
    layer,
  );
}
