import { create } from 'zustand';
import type { AuditEntry, DoctorReport } from '../../../../shared/dto/system';
import { call } from '../../lib/api';

interface SystemState {
  doctor: DoctorReport | null;
  audit: AuditEntry[];
  loading: boolean;
  refresh(): Promise<void>;
}

export const useSystem = create<SystemState>((set) => ({
  doctor: null,
  audit: [],
  loading: false,
  refresh: async () => {
    set({ loading: true });
    try {
      const [doctor, audit] = await Promise.all([call('system.doctor', {}), call('audit.recent', { limit: 20 })]);
      set({ doctor, audit });
    } catch {
      // call() has already shown a toast with the reason.
    } finally {
      set({ loading: false });
    }
  },
}));
