import { globalShortcut, Notification } from 'electron';
import type { KillTrigger } from '../../../shared/dto/killswitch';
import type { KillSwitch } from '../../domains/killswitch';

export const KILL_SHORTCUT = 'CommandOrControl+Alt+Shift+K';

/** Runs the plan from main, whatever state the window is in, and says so on the desktop. */
export function runKillSwitch(killSwitch: KillSwitch, trigger: KillTrigger): void {
  if (Notification.isSupported()) new Notification({ title: 'Kill switch triggered', body: `Stopping the lab (from ${trigger}).`, urgency: 'critical' }).show();
  void killSwitch.trigger({ dryRun: false, trigger }).catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (Notification.isSupported()) new Notification({ title: 'Kill switch could not run', body: message, urgency: 'critical' }).show();
    console.error('kill switch failed to start:', message);
  });
}

/** `killSwitch` is asked at each press: the studio's host is re-created after a restore, and absent while recovering. */
/** The kill switch of the running studio; while the recovery screen waits for a choice there is none to run. */
export function runOrExplain(killSwitch: KillSwitch | null, trigger: KillTrigger): void {
  if (killSwitch) return runKillSwitch(killSwitch, trigger);
  if (Notification.isSupported()) new Notification({ title: 'Kill switch unavailable', body: 'The studio has not started: choose on the recovery screen first.', urgency: 'critical' }).show();
}

export function registerKillShortcut(killSwitch: () => KillSwitch | null): void {
  if (!globalShortcut.register(KILL_SHORTCUT, () => runOrExplain(killSwitch(), 'shortcut'))) {
    console.error(`the global shortcut ${KILL_SHORTCUT} is taken by another program; the kill switch is still in the window and the tray`);
  }
}
