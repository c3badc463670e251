import { create } from 'zustand';
import { screenKeyLabel } from '../screenKeys';

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  level: 'info' | 'success' | 'warning' | 'error';
  message: string;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
  code?: string;
  action?: ToastAction;
}

interface ToastState {
  toasts: Toast[];
  push(t: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

let nextId = 1;

/** Errors stay long enough to read the advice; the same message twice in a row is shown once. */
export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push: (t) => {
    const last = get().toasts.at(-1);
    if (last && last.message === t.message && last.level === t.level) return last.id;
    const id = nextId++;
    set({ toasts: [...get().toasts.slice(-4), { ...t, id }] });
    setTimeout(() => get().dismiss(id), t.level === 'error' ? 9000 : t.action ? 7000 : 4000);
    return id;
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((x) => x.id !== id) }),
}));

/** Advice for error codes whose message names the problem but not the next step. */
export function hintFor(code: string | undefined): string | undefined {
  switch (code) {
    case 'UNAVAILABLE':
      return `Something the studio needs is missing or not answering. The System screen (${screenKeyLabel('8')}) shows what it found; in the browser, check that \`church serve\` still runs.`;
    case 'TIMEOUT':
      return 'The studio is busy or stuck. Check the Jobs screen, then try again.';
    case 'INVALID_INPUT':
      return 'Check the values you entered and try again.';
    case 'INTERNAL':
      return 'This is a bug in the studio; the details are in its log. Try again, or restart the studio.';
    case 'NOT_FOUND':
      return 'It may have been removed meanwhile; the list refreshes on its own.';
    default:
      return undefined;
  }
}
