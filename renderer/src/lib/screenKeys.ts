import { getTransport } from './api';
import { MOD } from './keys';

/**
 * The keys that open a screen by its number in the sidebar. Inside the app window they are Ctrl/Cmd+1…8, as in
 * desktop apps; in a browser those switch tabs (Chrome takes them before the page, Firefox lets a page steal them),
 * and on Linux Alt+1…8 switch tabs too, so the browser uses Alt+Shift+1…8, which no browser binds.
 */
export function screenKeysInWindow(): boolean {
  return getTransport().kind === 'electron';
}

/** The shortcut of screen number `digit` as shown to a person ("Ctrl+3", "⌘+3", "Alt+Shift+3"). */
export function screenKeyLabel(digit: string): string {
  return screenKeysInWindow() ? `${MOD}+${digit}` : `Alt+Shift+${digit}`;
}

/** The screen number a key press asks for, or null when it is not a screen shortcut here. */
export function screenKeyDigit(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'key' | 'code'>, inWindow = screenKeysInWindow()): string | null {
  if (inWindow) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
    return /^[1-9]$/.test(e.key) ? e.key : null;
  }
  if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return null;
  // With Shift (and Option on a Mac) the key is "!" or "¡"; the physical key is the digit.
  const m = /^Digit([1-9])$/.exec(e.code);
  return m ? m[1]! : null;
}
