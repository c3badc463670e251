import { create } from 'zustand';

interface NavState {
  route: string;
  go(route: string): void;
}

export const useNav = create<NavState>((set) => ({
  route: location.hash.replace(/^#\/?/, '') || 'library',
  go: (route) => {
    history.replaceState(null, '', `#/${route}`);
    set({ route });
  },
}));
