import { useEffect, useRef, useState } from 'react';
import { AVATAR_CORNERS, MAX_SAY_CHARS, avatarStateAt, hasGlyph, type AvatarCorner, type AvatarCue } from '../../../../shared/avatar';
import { formatDuration } from '../../lib/format';
import { useNav } from '../../lib/stores/nav';
import { registerUnsaved } from '../../lib/stores/unsaved';
import { isDirty, usePreview } from './store';

const EXPRESSION_MARK: Record<string, string> = {
  neutral: '😐',
  happy: '😄',
  sad: '😢',
  surprised: '😮',
  angry: '😠',
  sleepy: '😴',
  wink: '😉',
  talking: '💬',
};

/** A user expression has no emoji of its own: its initial stands for it. */
const markOf = (name: string) => EXPRESSION_MARK[name] ?? name.slice(0, 2).toUpperCase();

const CORNER_MARK: Record<AvatarCorner, string> = { 'top-left': '↖', 'top-right': '↗', 'bottom-left': '↙', 'bottom-right': '↘' };

const fmt = (t: number) => `${formatDuration(Math.floor(t))}.${Math.floor((t % 1) * 10)}`;

/**
 * The cue track under the player: markers at their times (drag to move, click to edit), a playhead, and the
 * editor of the selected cue. Edits are a draft until saved; the overlay follows the draft at once.
 */
export function CueTimeline({ duration, onSeek }: { duration: number; onSeek(t: number): void }) {
  const { cues, savedCues, selectedId, time, addCue, updateCue, deleteCue, select, save, revert } = usePreview();
  const track = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const dirty = isDirty({ cues, savedCues });
  const span = duration > 0 ? duration : 1;
  const selected = cues.find((c) => c.id === selectedId) ?? null;
  const here = avatarStateAt(cues, time);
  // Leaving the video (Esc, Back, another screen, the browser's Back) with unsaved cues asks first. The quick
  // pane's editor lives on the grid's address, the page's at its own: re-registered as the address settles.
  const route = useNav((s) => s.route);
  const sub = useNav((s) => s.sub);
  useEffect(
    () =>
      registerUnsaved('cues', {
        what: 'cue changes',
        place: sub ? `${route}/${sub}` : route,
        isDirty: () => isDirty(usePreview.getState()),
        discard: () => usePreview.getState().revert(),
      }),
    [route, sub],
  );

  const timeAt = (clientX: number) => {
    const r = track.current!.getBoundingClientRect();
    return Math.min(span, Math.max(0, ((clientX - r.left) / r.width) * span));
  };

  return (
    <div className="pv-cues" data-testid="cue-editor">
      <div className="pv-cues-head">
        <strong>Avatar cues</strong>
        <span className="muted small">{cues.length === 0 ? 'none yet: add one at the playhead' : `${cues.length} cue${cues.length === 1 ? '' : 's'}`}</span>
        <span className="pv-grow" />
        <button className="button secondary small" onClick={() => addCue({ at: Math.round(time * 10) / 10, expression: here.expression })} data-testid="cue-add">
          + Cue at {fmt(time)}
        </button>
        <button className="button secondary small" onClick={revert} disabled={!dirty}>
          Revert
        </button>
        <button className="button small" onClick={() => void save()} disabled={!dirty} data-testid="cue-save">
          {dirty ? 'Save track' : 'Saved'}
        </button>
      </div>
      <div
        ref={track}
        className="pv-track"
        data-testid="cue-track"
        onPointerDown={(e) => {
          if (e.target === track.current) onSeek(timeAt(e.clientX));
        }}
      >
        <div className="pv-playhead" style={{ left: `${(Math.min(time, span) / span) * 100}%` }} />
        {cues.map((c) => (
          <button
            key={c.id}
            className={`pv-cue${c.id === selectedId ? ' selected' : ''}${savedCues.some((s) => s.id === c.id && s.at === c.at) ? '' : ' draft'}`}
            style={{ left: `${(Math.min(c.at, span) / span) * 100}%` }}
            title={`${fmt(c.at)} ${[c.expression, c.corner, c.say !== undefined ? `“${c.say}”` : null].filter(Boolean).join(' · ')}`}
            data-testid="cue-marker"
            onPointerDown={(e) => {
              e.stopPropagation();
              (e.target as HTMLElement).setPointerCapture(e.pointerId);
              select(c.id);
              setDragging(c.id);
            }}
            onPointerMove={(e) => {
              if (dragging === c.id) updateCue(c.id, { at: Math.round(timeAt(e.clientX) * 10) / 10 });
            }}
            onPointerUp={() => setDragging(null)}
            onDoubleClick={() => onSeek(c.at)}
          >
            {c.expression ? markOf(c.expression) : c.say !== undefined ? '❝' : CORNER_MARK[c.corner ?? 'bottom-right']}
          </button>
        ))}
      </div>
      {selected && <CueForm key={selected.id} cue={selected} duration={span} onChange={(p) => updateCue(selected.id, p)} onDelete={() => deleteCue(selected.id)} onSeek={onSeek} />}
    </div>
  );
}

function CueForm({
  cue,
  duration,
  onChange,
  onDelete,
  onSeek,
}: {
  cue: AvatarCue;
  duration: number;
  onChange(p: Partial<Omit<AvatarCue, 'id'>>): void;
  onDelete(): void;
  onSeek(t: number): void;
}) {
  const unsupported = [...(cue.say ?? '')].filter((ch) => !hasGlyph(ch));
  const expressions = usePreview((s) => s.expressions);
  return (
    <div className="pv-cue-form" data-testid="cue-form">
      <label>
        At
        <input
          className="input pv-num"
          type="number"
          min={0}
          max={duration}
          step={0.1}
          value={cue.at}
          onChange={(e) => onChange({ at: Math.max(0, Number(e.target.value) || 0) })}
        />
        s
        <button className="icon-button" title="Seek here" onClick={() => onSeek(cue.at)}>
          ▶
        </button>
      </label>
      <div className="pv-expressions" role="radiogroup" aria-label="Expression">
        <button role="radio" aria-checked={cue.expression === undefined} className={cue.expression === undefined ? 'on' : ''} onClick={() => onChange({ expression: undefined })} title="Keep the expression">
          —
        </button>
        {expressions.map(({ name: x, whenToUse }) => (
          <button key={x} role="radio" aria-checked={cue.expression === x} className={cue.expression === x ? 'on' : ''} onClick={() => onChange({ expression: x })} title={`${x}: ${whenToUse}`} data-testid={`expr-${x}`}>
            {markOf(x)}
          </button>
        ))}
      </div>
      <label>
        Corner
        <select className="input" value={cue.corner ?? ''} onChange={(e) => onChange({ corner: (e.target.value || undefined) as AvatarCorner | undefined })}>
          <option value="">keep</option>
          {AVATAR_CORNERS.map((c) => (
            <option key={c} value={c}>
              {CORNER_MARK[c]} {c}
            </option>
          ))}
        </select>
      </label>
      <label className="pv-say">
        Says
        <input
          className="input"
          value={cue.say ?? ''}
          maxLength={MAX_SAY_CHARS}
          placeholder={cue.say === '' ? '(hides the bubble)' : '(keep the bubble)'}
          onChange={(e) => onChange({ say: e.target.value === '' ? undefined : e.target.value })}
          data-testid="cue-say"
        />
      </label>
      <label>
        for
        <input
          className="input pv-num"
          type="number"
          min={0}
          step={0.5}
          value={cue.sayForSec ?? ''}
          placeholder="∞"
          onChange={(e) => onChange({ sayForSec: Number(e.target.value) > 0 ? Number(e.target.value) : undefined })}
        />
        s
      </label>
      <button className="button secondary small" onClick={() => onChange({ say: '' })} title="A cue that hides the bubble">
        Hide bubble
      </button>
      <button className="button danger small" onClick={onDelete} data-testid="cue-delete">
        Delete
      </button>
      {unsupported.length > 0 && <div className="muted small">The bubble shows {[...new Set(unsupported)].join(' ')} as “?” (letters, digits and common punctuation only).</div>}
    </div>
  );
}
