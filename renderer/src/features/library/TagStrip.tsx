import { useLayoutEffect, useRef, useState } from 'react';
import { tagsThatFit } from './tagFit';

/** Space between two tags; .lib-tags's gap in library.css. */
const TAG_GAP = 4;

/**
 * A card's or row's tags on one line: as many whole tags as fit, then "+N" for the rest (all of them in the
 * tooltip), never a tag cut mid-word. Widths come from an invisible copy of every tag, measured again when the
 * strip's width changes.
 */
export function TagStrip({ tags }: { tags: string[] }) {
  const box = useRef<HTMLSpanElement>(null);
  const ruler = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState(tags.length);
  const key = tags.join('\u0000');

  useLayoutEffect(() => {
    const el = box.current;
    const r = ruler.current;
    if (!el || !r) return;
    const measure = () => {
      const chips = [...r.children].map((c) => c.getBoundingClientRect().width);
      const more = chips.pop() ?? 0;
      setShown(tagsThatFit(chips, el.clientWidth, TAG_GAP, more));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [key]);

  const hidden = tags.length - Math.min(shown, tags.length);
  return (
    <span className="lib-tags" ref={box} data-testid="item-tags" title={hidden ? tags.join(', ') : undefined}>
      {tags.slice(0, tags.length - hidden).map((t) => (
        <span key={t} className="lib-tag">
          {t}
        </span>
      ))}
      {hidden > 0 && (
        <span className="lib-tag lib-tag-more" data-testid="tags-more" aria-label={`${hidden} more tag${hidden === 1 ? '' : 's'}`}>
          +{hidden}
        </span>
      )}
      <span className="lib-tags-ruler" ref={ruler} aria-hidden>
        {tags.map((t) => (
          <span key={t} className="lib-tag">
            {t}
          </span>
        ))}
        <span className="lib-tag lib-tag-more">+{tags.length}</span>
      </span>
    </span>
  );
}
