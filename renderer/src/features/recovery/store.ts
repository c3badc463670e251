import { create } from 'zustand';
import type { RecoveryChoice, RecoveryState } from '../../../../shared/dto/recovery';
import { call, subscribe } from '../../lib/api';

interface RecoveryStore {
  /** null until the studio has answered. */
  state: RecoveryState | null;
  load(): Promise<void>;
  choose(choice: RecoveryChoice): Promise<void>;
}

/** A studio too old to know the recovery calls has started: it is treated as running. */
const ASSUME_READY: RecoveryState = { state: 'ready', failure: null, step: null, error: null, keptAside: null };

export const useRecovery = create<RecoveryStore>((set) => ({
  state: null,
  load: async () => {
    try {
      set({ state: await call('recovery.status', {}, { quiet: true }) });
    } catch {
      set((s) => ({ state: s.state ?? ASSUME_READY }));
    }
  },
  choose: async (choice) => {
    try {
      set({ state: await call('recovery.choose', { choice }) });
    } catch {
      // shown by call(); the screen keeps its choices
    }
  },
}));

/** The studio's side of a recovery or a restore, as it happens (the window and every browser tab alike). */
export function subscribeRecovery(): () => void {
  return subscribe('recovery.progress', (state) => useRecovery.setState({ state }));
}
