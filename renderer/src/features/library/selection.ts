/** Multi-select as in a file manager: click, Ctrl/Cmd-click to toggle, Shift-click for a range from the anchor. */
export interface SelectionState {
  selected: ReadonlySet<number>;
  /** Index the next Shift-click range starts from. */
  anchor: number | null;
}

export type ClickKind = 'plain' | 'toggle' | 'range' | 'range-add';

export function clickKind(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ClickKind {
  const mod = e.ctrlKey || e.metaKey;
  if (e.shiftKey) return mod ? 'range-add' : 'range';
  return mod ? 'toggle' : 'plain';
}

/**
 * The selection after a click on the item at `index` (id `id`). `idAt(i)` answers the id at an index, or
 * undefined for a row not loaded yet (a range only covers loaded rows).
 */
export function applyClick(state: SelectionState, kind: ClickKind, index: number, id: number, idAt: (i: number) => number | undefined): SelectionState {
  if (kind === 'plain') return { selected: new Set([id]), anchor: index };
  if (kind === 'toggle') {
    const next = new Set(state.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return { selected: next, anchor: index };
  }
  const from = state.anchor ?? index;
  const [lo, hi] = from <= index ? [from, index] : [index, from];
  const next = kind === 'range-add' ? new Set(state.selected) : new Set<number>();
  for (let i = lo; i <= hi; i++) {
    const v = idAt(i);
    if (v !== undefined) next.add(v);
  }
  return { selected: next, anchor: state.anchor ?? index };
}
