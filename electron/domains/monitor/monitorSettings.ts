import { z } from 'zod';
import type { MonitorSettingsData } from '../../../shared/dto/monitor';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../../shared/contract/monitor';
import type { SettingsStore } from '../../platform/settings';

/** The SMTP password's name in the secret store (CHURCH_SMTP_PASSWORD in CLI/browser mode). */
export const SMTP_SECRET = 'smtp-password';
export const SETTINGS_KEY = 'monitor';
/** The bearer token scrapes from other machines must send (CHURCH_PROMETHEUS_TOKEN in CLI/browser mode). */
export const PROMETHEUS_TOKEN_SECRET = 'prometheus-token';

/**
 * The stored monitor settings. A "Lab host offline after" saved by the build that had it in the Monitor section
 * (now Settings → Lab's one setting) is dropped, not a reason to fall back to the defaults and lose the rules.
 */
const storedMonitorSettings = z.preprocess((v) => {
  if (!v || typeof v !== 'object' || !('hostOfflineSec' in v)) return v;
  const { hostOfflineSec: _dropped, ...rest } = v as Record<string, unknown>;
  return rest;
}, monitorSettingsSchema);

export function readMonitorSettings(store: SettingsStore): MonitorSettingsData {
  return store.get(SETTINGS_KEY, storedMonitorSettings, DEFAULT_MONITOR_SETTINGS);
}

export function writeMonitorSettings(store: SettingsStore, data: MonitorSettingsData): MonitorSettingsData {
  return store.set(SETTINGS_KEY, monitorSettingsSchema, data);
}
