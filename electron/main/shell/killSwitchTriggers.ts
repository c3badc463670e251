import { globalShortcut, Notification } from 'electron';
import type { Dispatch } from '../../host/dispatch';

export const KILL_SHORTCUT = 'CommandOrControl+Alt+Shift+K';

/** The shell's own controls that trigger the kill switch; the run records which one it was. */
export type ShellKillTrigger = 'tray' | 'shortcut';

function failed(message: string): void {
  if (Notification.isSupported()) new Notification({ title: 'Kill switch could not run', body: message, urgency: 'critical' }).show();
  console.error('kill switch failed to start:', message);
}

/**
 * Runs the plan from main, whatever state the window is in, and says so on the desktop. It goes through the
 * dispatcher like every other caller (validation, the audit log), with the shell's credential: the window's.
 */
export function runKillSwitch(dispatch: Dispatch, trigger: ShellKillTrigger): void {
  if (Notification.isSupported()) new Notification({ title: 'Kill switch triggered', body: `Stopping the lab (from ${trigger}).`, urgency: 'critical' }).show();
  void dispatch('killswitch.trigger', { dryRun: false }, { actor: 'ui', via: trigger })
    .then((r) => {
      if (!r.ok) failed(r.error.message);
    })
    .catch((e: unknown) => failed(e instanceof Error ? e.message : String(e)));
}

/** `dispatch` is asked at each press: the studio's host is re-created after a restore, and absent while recovering. */
export function runOrExplain(dispatch: Dispatch | null, trigger: ShellKillTrigger): void {
  if (dispatch) return runKillSwitch(dispatch, trigger);
  if (Notification.isSupported()) new Notification({ title: 'Kill switch unavailable', body: 'The studio has not started: choose on the recovery screen first.', urgency: 'critical' }).show();
}

export function registerKillShortcut(dispatch: () => Dispatch | null): void {
  if (!globalShortcut.register(KILL_SHORTCUT, () => runOrExplain(dispatch(), 'shortcut'))) {
    console.error(`the global shortcut ${KILL_SHORTCUT} is taken by another program; the kill switch is still in the window and the tray`);
  }
}
