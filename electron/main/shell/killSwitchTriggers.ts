import { globalShortcut, Notification } from 'electron';
import type { KillTrigger } from '../../../shared/dto/killswitch';
import type { KillSwitch } from '../services/killswitch';

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

export function registerKillShortcut(killSwitch: KillSwitch): void {
  if (!globalShortcut.register(KILL_SHORTCUT, () => runKillSwitch(killSwitch, 'shortcut'))) {
    console.error(`the global shortcut ${KILL_SHORTCUT} is taken by another program; the kill switch is still in the window and the tray`);
  }
}
