import { create } from 'zustand';
import type { AuditEntry, DoctorReport } from '../../../../shared/dto/system';
import { call } from '../../lib/api';
import { describeActivity } from './activityWords';

interface SystemState {
  doctor: DoctorReport | null;
  audit: AuditEntry[];
  /** Titles of the videos the recent activity concerns (an entry holds only the id). */
  videoTitles: Record<number, string>;
  loading: boolean;
  refresh(): Promise<void>;
}

/** The titles of the videos these entries name; a video removed since is left out (the entry shows its number). */
async function titlesOf(audit: AuditEntry[]): Promise<Record<number, string>> {
  const ids = [...new Set(audit.map((a) => describeActivity(a).videoId).filter((id): id is number => id !== null))];
  const found = await Promise.all(ids.map((id) => call('library.get', { id }, { quiet: true }).then((v) => [id, v.title] as const, () => null)));
  return Object.fromEntries(found.filter((f) => f !== null));
}

export const useSystem = create<SystemState>((set) => ({
  doctor: null,
  audit: [],
  videoTitles: {},
  loading: false,
  refresh: async () => {
    set({ loading: true });
    try {
      const [doctor, audit] = await Promise.all([call('system.doctor', {}), call('audit.recent', { limit: 20 })]);
      set({ doctor, audit, videoTitles: await titlesOf(audit) });
    } catch {
      // call() has already shown a toast with the reason.
    } finally {
      set({ loading: false });
    }
  },
}));
