import { create } from 'zustand';
import type { LabStatus } from '../../../../shared/dto/lab';
import { call } from '../../lib/api';

interface LabState {
  status: LabStatus | null;
  loading: boolean;
  refresh(): Promise<void>;
  setPaused(name: string, paused: boolean): Promise<void>;
}

export const useLab = create<LabState>((set, get) => ({
  status: null,
  loading: false,
  refresh: async () => {
    set({ loading: true });
    try {
      set({ status: await call('lab.status', {}, { quiet: get().status !== null }) });
    } catch {
      // the first failure showed a toast; later ones keep the last view
    } finally {
      set({ loading: false });
    }
  },
  setPaused: async (name, paused) => {
    // The switch follows the click at once; the agent's own report (next refresh) confirms or puts it back.
    const status = get().status;
    if (status) set({ status: { ...status, agents: status.agents.map((a) => (a.name === name ? { ...a, paused } : a)) } });
    try {
      await call('lab.pauseAgent', { name, paused });
    } catch {
      await get().refresh();
      return;
    }
    await get().refresh();
  },
}));
