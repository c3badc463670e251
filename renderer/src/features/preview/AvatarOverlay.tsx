import { useEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';
import { avatarLayout, avatarStateAt, drawAvatarBox, placeAvatar, type AvatarCue } from '../../../../shared/avatar';
import type { OverlaySettings } from '../../../../shared/dto/avatar';
import { mediaUrl } from '../../lib/media';
import type { VjsPlayer } from './Player';

interface Props {
  player: VjsPlayer;
  cues: AvatarCue[];
  settings: OverlaySettings;
  /** The original's frame size: the bake draws at this size, so the preview does too and lets CSS scale it. */
  frame: { width: number; height: number };
}

/**
 * The avatar layered over the player (inside video.js's element, so it follows fullscreen, under the control
 * bar). Every animation frame it asks avatarStateAt for the player's current time and redraws only when the
 * state changes; the pixels come from the same drawAvatarBox the bake uses, at the frame's own resolution.
 */
export function AvatarOverlay({ player, cues, settings, frame }: Props) {
  const layer = useMemo(() => {
    const div = document.createElement('div');
    div.className = 'pv-avatar-layer';
    return div;
  }, []);
  const canvas = useRef<HTMLCanvasElement>(null);
  const picked = useRef<HTMLVideoElement>(null);
  const latest = useRef({ cues, settings, frame });
  latest.current = { cues, settings, frame };

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
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const c = canvas.current;
      if (!c || player.isDisposed()) return;
      const { cues, settings, frame } = latest.current;
      const t = player.currentTime() ?? 0;
      const state = avatarStateAt(cues, t);
      const p = placeAvatar(settings, state, frame.width, frame.height);
      const face = settings.source.kind === 'builtin';
      const key = `${JSON.stringify(state)}|${p.size}|${settings.opacity}|${face}`;
      if (key !== drawn) {
        drawn = key;
        if (c.width !== p.size) c.width = p.size;
        if (c.height !== p.size) c.height = p.size;
        const rgba = drawAvatarBox(settings, state, p.size, { face });
        c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), p.size, p.size), 0, 0);
        c.dataset.expression = state.expression;
        c.dataset.say = state.say ?? '';
        c.dataset.time = t.toFixed(2);
      }
      // The video's picture inside the player (video.js letterboxes in fullscreen): place the box on it.
      const root = player.el() as HTMLElement;
      const scale = Math.min(root.clientWidth / frame.width, root.clientHeight / frame.height);
      const ox = (root.clientWidth - frame.width * scale) / 2;
      const oy = (root.clientHeight - frame.height * scale) / 2;
      const box = `${ox + p.x * scale}|${oy + p.y * scale}|${p.size * scale}|${picked.current ? 1 : 0}`;
      if (box !== placed) {
        placed = box;
        c.dataset.corner = p.corner;
        const place = (el: HTMLElement, x: number, y: number, size: number) => {
          el.style.left = `${ox + x * scale}px`;
          el.style.top = `${oy + y * scale}px`;
          el.style.width = `${size * scale}px`;
          el.style.height = `${size * scale}px`;
        };
        place(c, p.x, p.y, p.size);
        // A picked video takes the face's place (the circle under the bubble), not the whole box.
        const face = avatarLayout(p.size, p.size).face;
        if (picked.current) place(picked.current, p.x + face.cx - face.r, p.y + face.cy - face.r, 2 * face.r);
      }
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [player]);

  const source = settings.source;
  return createPortal(
    <>
      {source.kind === 'library' && settings.visible && (
        <video
          ref={picked}
          className="pv-avatar-picked"
          src={mediaUrl('video', source.videoId)}
          style={{ opacity: settings.opacity }}
          muted
          loop
          autoPlay
          playsInline
        />
      )}
      <canvas ref={canvas} className="pv-avatar-canvas" data-testid="avatar-canvas" hidden={!settings.visible} />
    </>,
    layer,
  );
}
