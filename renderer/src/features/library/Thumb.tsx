import { memo, useRef, useState } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { posterUrl, spriteImageUrl, spriteVttUrl } from '../../lib/media';
import { cueAt, loadSpriteSheet, type SpriteCue, type SpriteSheet } from '../../lib/spriteVtt';

interface Props {
  item: VideoSummary;
  /** Hover scrubbing through the sprite sheet (off with reduced motion and in the list's small thumbs). */
  scrub: boolean;
}

/**
 * The poster of a video; moving the pointer across it scrubs through the sprite sheet: the tile for that
 * fraction of the video is drawn as a scaled background, so no extra image is decoded per position.
 */
export const Thumb = memo(function Thumb({ item, scrub }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [sheet, setSheet] = useState<SpriteSheet | null>(null);
  const [hover, setHover] = useState<{ cue: SpriteCue; fraction: number } | null>(null);
  const [broken, setBroken] = useState(false);
  const hovering = useRef(false);

  const lastFraction = useRef(0);
  const onMove = (e: React.MouseEvent) => {
    if (!scrub || !item.hasSprite || !box.current) return;
    const rect = box.current.getBoundingClientRect();
    const fraction = (e.clientX - rect.left) / rect.width;
    lastFraction.current = fraction;
    if (sheet) {
      const cue = cueAt(sheet, fraction);
      setHover(cue ? { cue, fraction } : null);
      return;
    }
    void loadSpriteSheet(spriteVttUrl(item.id), spriteImageUrl(item.id)).then((s) => {
      if (!s) return;
      setSheet(s);
      // Show the tile under the pointer at once, without waiting for the next move.
      if (hovering.current) {
        const cue = cueAt(s, lastFraction.current);
        if (cue) setHover({ cue, fraction: lastFraction.current });
      }
    });
  };

  let scrubStyle: React.CSSProperties | undefined;
  let scale = 1;
  if (hover && sheet && box.current) {
    const { clientWidth: w, clientHeight: h } = box.current;
    // The whole tile fits the box (contain), centred on black: a portrait tile (90×160) scaled to the card's
    // width was magnified about three times, blurry, and cut to its top.
    scale = Math.min(w / hover.cue.w, h / hover.cue.h);
    const tw = hover.cue.w * scale;
    const th = hover.cue.h * scale;
    scrubStyle = {
      left: (w - tw) / 2,
      top: (h - th) / 2,
      width: tw,
      height: th,
      backgroundImage: `url("${spriteImageUrl(item.id)}")`,
      backgroundSize: `${sheet.width * scale}px ${sheet.height * scale}px`,
      backgroundPosition: `${-hover.cue.x * scale}px ${-hover.cue.y * scale}px`,
    };
  }

  return (
    <div className="thumb" ref={box} onMouseMove={onMove} onMouseEnter={() => (hovering.current = true)} onMouseLeave={() => {
        hovering.current = false;
        setHover(null);
      }} data-testid="thumb">
      {item.hasPoster && !broken ? (
        <img src={posterUrl(item.id)} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setBroken(true)} />
      ) : (
        <div className="thumb-placeholder" aria-hidden>
          {item.kind === 'audio' ? '♫' : item.missing ? '⚠' : '▶'}
        </div>
      )}
      {scrubStyle && (
        <div className="thumb-scrub">
          <div className="thumb-scrub-tile" style={scrubStyle} data-testid="thumb-scrub" data-tile={`${hover!.cue.x},${hover!.cue.y}`} data-scale={scale.toFixed(3)} />
        </div>
      )}
      {hover && <div className="thumb-scrub-bar" style={{ width: `${hover.fraction * 100}%` }} />}
    </div>
  );
});
