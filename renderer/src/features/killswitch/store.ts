import { create } from 'zustand';
import type { KillPlan, KillPlanInfo, KillRun } from '../../../../shared/dto/killswitch';
import { call, CallError, subscribe } from '../../lib/api';

interface KillSwitchState {
  info: KillPlanInfo | null;
  planError: string | null;
  /** The run in progress (from events) or the last one. */
  run: KillRun | null;
  dryRun: boolean;
  busy: boolean;
  load(): Promise<void>;
  setDryRun(v: boolean): void;
  trigger(): Promise<void>;
  acknowledge(): Promise<void>;
  /** Saves the plan (null: the platform default); resolves with why it was refused, or null when saved. */
  savePlan(plan: KillPlan | null): Promise<string | null>;
  /** Accepts the pending command steps exactly as shown (the plan's fingerprint); refused if it changed since. */
  acceptPlan(): Promise<void>;
}

export const useKillSwitch = create<KillSwitchState>((set, get) => ({
  info: null,
  planError: null,
  run: null,
  dryRun: false,
  busy: false,
  load: async () => {
    try {
      const info = await call('killswitch.getPlan', {}, { quiet: true });
      set({ info, planError: null });
    } catch (e) {
      set({ planError: e instanceof CallError ? e.message : 'the plan could not be read' });
    }
    try {
      set({ run: await call('killswitch.lastRun', {}, { quiet: true }) });
    } catch {
      // shown as "no runs yet"
    }
  },
  setDryRun: (dryRun) => set({ dryRun }),
  trigger: async () => {
    set({ busy: true });
    try {
      const run = await call('killswitch.trigger', { dryRun: get().dryRun });
      set({ run });
    } catch {
      // call() showed the reason
    } finally {
      set({ busy: false });
    }
  },
  acknowledge: async () => {
    const run = get().run;
    if (!run) return;
    await call('killswitch.acknowledge', { id: run.id });
    set({ run: { ...run, acknowledged: true } });
  },
  acceptPlan: async () => {
    const info = get().info;
    if (!info) return;
    try {
      set({ info: await call('killswitch.acceptPlan', { fingerprint: info.commandsFingerprint }) });
    } catch {
      // call() showed the reason (a plan that changed since it was shown); load it again to show what it holds now
      await get().load();
    }
  },
  savePlan: async (plan) => {
    try {
      const info = await call('killswitch.setPlan', { plan }, { quiet: true });
      set({ info, planError: null });
      return null;
    } catch (e) {
      // Shown next to the editor that was saved, not in a toast.
      return e instanceof CallError ? e.message : String(e);
    }
  },
}));

/** Live progress of a run, whoever started it (tray, shortcut, CLI, a monitor rule). */
export function subscribeKillSwitch(): () => void {
  return subscribe('killswitch.progress', (run) => useKillSwitch.setState({ run }));
}
