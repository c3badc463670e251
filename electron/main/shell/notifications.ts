import { Notification } from 'electron';
import type { MonitorAlertEvent } from '../../../shared/dto/monitor';
import type { Host } from '../../host/createHost';

/** What a monitor alert looks like on the desktop: critical ones stay until dismissed (where the OS allows). */
export function notificationOptions(ev: MonitorAlertEvent): { title: string; body: string; urgency: 'normal' | 'critical' | 'low'; silent: boolean } {
  return {
    title: ev.title,
    body: ev.body,
    urgency: ev.kind === 'cleared' ? 'low' : ev.level === 'critical' ? 'critical' : 'normal',
    silent: ev.kind === 'cleared',
  };
}

/**
 * Turns the monitor's `monitor.alert` events into desktop notifications; clicking one shows the window.
 * Returns the unsubscribe function (call it on quit).
 */
export function showMonitorNotifications(host: Pick<Host, 'events'>, focusWindow: () => void): () => void {
  return host.events.subscribe((name, payload) => {
    if (name !== 'monitor.alert' || !Notification.isSupported()) return;
    const n = new Notification(notificationOptions(payload as MonitorAlertEvent));
    n.on('click', focusWindow);
    n.show();
  });
}
