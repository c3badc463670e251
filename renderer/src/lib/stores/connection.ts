import { create } from 'zustand';

export const useConnection = create<{ connected: boolean; set(c: boolean): void }>((set) => ({
  connected: false,
  set: (connected) => set({ connected }),
}));
