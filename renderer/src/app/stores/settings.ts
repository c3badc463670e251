import { create } from 'zustand';

export type Theme = 'dark' | 'light';

interface SettingsState {
  theme: Theme;
  toggleTheme(): void;
}

const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('church-theme')) as Theme | null;

export const useSettings = create<SettingsState>((set, get) => ({
  theme: saved ?? (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'),
  toggleTheme: () => {
    const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('church-theme', theme);
    set({ theme });
  },
}));
