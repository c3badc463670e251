import { create } from 'zustand';
import type { BackupList, BackupSettingsData, BackupSettingsView, BackupStatus, RestoreOutcome } from '../../../../shared/dto/backup';
import { call, subscribe } from '../../lib/api';

export interface BackupState {
  settings: BackupSettingsView | null;
  status: BackupStatus | null;
  list: BackupList | null;
  pendingRestore: RestoreOutcome | null;
  load(): Promise<void>;
  loadList(): Promise<void>;
  save(patch: Partial<BackupSettingsData> & { resticPassword?: string }): Promise<boolean>;
  runNow(restic: boolean): Promise<void>;
  restore(id: string): Promise<void>;
}

export const useBackup = create<BackupState>((set, get) => ({
  settings: null,
  status: null,
  list: null,
  pendingRestore: null,
  load: async () => {
    try {
      const [settings, status] = await Promise.all([call('backup.getSettings', {}), call('backup.status', {})]);
      set({ settings, status });
    } catch {
      // shown by call()
    }
  },
  loadList: async () => {
    try {
      set({ list: await call('backup.list', {}) });
    } catch {
      // shown by call()
    }
  },
  save: async (patch) => {
    try {
      set({ settings: await call('backup.setSettings', patch) });
      return true;
    } catch {
      return false;
    }
  },
  runNow: async (restic) => {
    try {
      await call('backup.run', { restic });
    } catch {
      // shown by call()
    }
    await get().loadList();
  },
  restore: async (id) => {
    try {
      // Applied at once by the window and serve (the page then follows recovery.progress and reloads);
      // pending only where the studio cannot swap its database (an older build).
      const outcome = await call('backup.restore', { id });
      if (outcome.pending) set({ pendingRestore: outcome });
    } catch {
      // shown by call()
    }
  },
}));

/** Progress and results while Settings → Backups is open. */
export function subscribeBackup(): () => void {
  return subscribe('backup.progress', (status) => {
    const wasRunning = useBackup.getState().status?.phase !== 'idle';
    useBackup.setState({ status });
    if (wasRunning && status.phase === 'idle') void useBackup.getState().loadList();
  });
}
