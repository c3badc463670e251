import { create } from 'zustand';
import type { Preferences } from '../../../../shared/dto/system';
import { call } from '../../lib/api';

export type Theme = 'dark' | 'light';

interface SettingsState {
  prefs: Preferences | null;
  /** The theme in effect ('system' resolved through the OS setting). */
  theme: Theme;
  load(): Promise<void>;
  toggleTheme(): Promise<void>;
}

const systemTheme = (): Theme => (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark');
const effective = (p: Preferences | null): Theme => (!p || p.theme === 'system' ? systemTheme() : p.theme);

/** Preferences live in main (SQLite), so the desktop window and browser mode look the same. */
export const useSettings = create<SettingsState>((set, get) => ({
  prefs: null,
  theme: systemTheme(),
  load: async () => {
    try {
      const prefs = await call('preferences.get', {}, { quiet: true });
      set({ prefs, theme: effective(prefs) });
    } catch {
      // Keep the OS theme until the studio answers.
    }
  },
  toggleTheme: async () => {
    const next: Theme = get().theme === 'dark' ? 'light' : 'dark';
    set({ theme: next });
    const prefs = await call('preferences.set', { theme: next });
    set({ prefs, theme: effective(prefs) });
  },
}));
