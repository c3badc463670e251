import { MOD } from '../lib/keys';
import { screenKeyLabel } from '../lib/screenKeys';
import { routeList } from './routeList';

export interface ShortcutHelp {
  keys: string[];
  does: string;
  where: string;
}

/** Every keyboard shortcut of the studio, for the "?" overlay, Settings and docs/ui.md. */
export function shortcutList(): ShortcutHelp[] {
  return [
    ...routeList.map((r) => ({ keys: [screenKeyLabel(r.key)], does: `Open ${r.label}`, where: 'Anywhere' })),
    { keys: ['/', `${MOD}+K`], does: 'Focus the search field', where: 'Anywhere' },
    { keys: ['?'], does: 'Show or hide this list', where: 'Anywhere' },
    { keys: ['Esc'], does: 'Close the overlay, the detail pane or clear the selection', where: 'Anywhere' },
    { keys: ['Tab'], does: 'Into the videos and out again (the grid is one stop; arrows move inside)', where: 'Library' },
    { keys: ['J', '→', '↓'], does: 'Next video', where: 'Library' },
    { keys: ['K', '←', '↑'], does: 'Previous video', where: 'Library' },
    { keys: ['Home', 'End'], does: 'First / last video', where: 'Library' },
    { keys: ['Space'], does: 'Select or unselect the focused video', where: 'Library' },
    { keys: ['Click'], does: 'Open the video in the quick pane', where: 'Library' },
    { keys: ['Enter', 'Double-click'], does: 'Open the video page', where: 'Library' },
    { keys: ['✓', `${MOD}+click`, 'Shift+click'], does: 'Select (the check mark on a card), toggle, select a range', where: 'Library' },
    { keys: ['Shift+J/K'], does: 'Extend the selection', where: 'Library' },
    { keys: ['X'], does: 'Select or unselect the current video', where: 'Library' },
    { keys: [`${MOD}+A`], does: 'Select every loaded video', where: 'Library' },
    { keys: ['Q'], does: 'Queue the selection with a preset', where: 'Library' },
    { keys: ['G'], does: 'Switch grid / list view', where: 'Library' },
    { keys: ['Space'], does: 'Play / pause', where: 'Video detail' },
    { keys: ['Space', 'K'], does: 'Play / pause', where: 'Video page' },
    { keys: ['J', 'L'], does: 'Back / forward 10 seconds', where: 'Video page' },
    { keys: ['←', '→'], does: 'One frame back / forward (pauses)', where: 'Video page' },
    { keys: ['F'], does: 'Fullscreen on / off', where: 'Video page' },
    { keys: ['Esc', 'Backspace'], does: 'Back to the library, same scroll and selection', where: 'Video page' },
  ];
}

/** Where each screen's own shortcuts are listed (the video views are the Library's). */
const SCREEN_GROUPS: Record<string, string[]> = { Library: ['Library', 'Video page', 'Video detail'] };

/**
 * The overlay's two columns of groups: the current screen's own shortcuts first, then the rest in their usual
 * order (a screen without keys of its own starts with the app-wide ones).
 */
export function groupsForScreen(list: ShortcutHelp[], screen: string): [string[], string[]] {
  const all = [...new Set(list.map((s) => s.where))];
  const mine = (SCREEN_GROUPS[screen] ?? [screen]).filter((w) => all.includes(w));
  const rest = all.filter((w) => !mine.includes(w));
  return mine.length ? [mine, rest] : [rest.slice(0, 1), rest.slice(1)];
}

/** Focuses the search field of the current screen; screens mark theirs with data-search. */
export function focusSearch(): boolean {
  const el = document.querySelector<HTMLInputElement>('[data-search]');
  if (!el) return false;
  el.focus();
  el.select();
  return true;
}
