import { create } from 'zustand';
import type { Preferences } from '../../../../shared/dto/system';
import { call } from '../api';

export type Theme = 'dark' | 'light';
export type ThemeChoice = Preferences['theme'];

interface SettingsState {
  prefs: Preferences | null;
  /** The theme in effect ('system' resolved through the OS setting). */
  theme: Theme;
  load(): Promise<void>;
  /** Flips between light and dark (the sidebar button); a 'system' choice becomes the explicit opposite. */
  toggleTheme(): Promise<void>;
  setTheme(choice: ThemeChoice): Promise<void>;
  update(patch: Partial<Preferences>): Promise<void>;
}

const lightQuery = (): MediaQueryList | null => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null);
const systemTheme = (): Theme => (lightQuery()?.matches ? 'light' : 'dark');
const effective = (p: Preferences | null): Theme => (!p || p.theme === 'system' ? systemTheme() : p.theme);

const LAST_THEME = 'church.theme';
/**
 * The theme used last time, applied before the first paint: the preferences arrive from main a moment later,
 * and a dark-theme owner should not see a light flash at every start.
 */
function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LAST_THEME) : null;
  const theme = saved === 'light' || saved === 'dark' ? saved : systemTheme();
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
  return theme;
}

/** Preferences live in main (SQLite), so the desktop window and browser mode look the same. */
export const useSettings = create<SettingsState>((set, get) => ({
  prefs: null,
  theme: initialTheme(),
  load: async () => {
    try {
      const prefs = await call('preferences.get', {}, { quiet: true });
      set({ prefs, theme: effective(prefs) });
    } catch {
      // Keep the OS theme until the studio answers.
    }
  },
  toggleTheme: async () => {
    await get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
  setTheme: async (choice) => {
    // Show the change at once; main's answer confirms it (or call() toasts why it did not stick).
    const optimistic = get().prefs ? { ...get().prefs!, theme: choice } : null;
    set({ theme: choice === 'system' ? systemTheme() : choice, prefs: optimistic });
    await get().update({ theme: choice });
  },
  update: async (patch) => {
    const prev = get().prefs;
    if (prev) set({ prefs: { ...prev, ...patch } });
    try {
      const prefs = await call('preferences.set', patch);
      set({ prefs, theme: effective(prefs) });
    } catch {
      set({ prefs: prev, theme: effective(prev) });
    }
  },
}));

/** Follows the OS light/dark switch while the choice is 'system'. */
export function watchSystemTheme(): () => void {
  const q = lightQuery();
  if (!q) return () => undefined;
  const onChange = () => {
    const { prefs } = useSettings.getState();
    if (!prefs || prefs.theme === 'system') useSettings.setState({ theme: systemTheme() });
  };
  q.addEventListener('change', onChange);
  return () => q.removeEventListener('change', onChange);
}

useSettings.subscribe((s) => {
  try {
    localStorage.setItem(LAST_THEME, s.theme);
  } catch {
    // storage may be unavailable (private mode); the flash is the only cost
  }
});
