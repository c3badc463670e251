import { z } from 'zod';
import type { MonitorSettingsData } from '../../../shared/dto/monitor';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../../shared/contract/monitor';
import type { SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';

export { SMTP_SECRET } from './alerting';
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

/** Whether a secret is stored; an unreadable keychain counts as not set. */
export function secretSet(secrets: SecretStore, name: string): boolean {
  try {
    return secrets.get(name) !== null;
  } catch {
    return false;
  }
}

/** A secret's value, null when absent or when the keychain cannot be read. */
export function readSecret(secrets: SecretStore, name: string): string | null {
  try {
    return secrets.get(name);
  } catch {
    return null;
  }
}

/** Stores a secret, or removes it for null or an empty string. */
export function storeSecret(secrets: SecretStore, name: string, value: string | null): void {
  if (value === null || value === '') secrets.delete(name);
  else secrets.set(name, value);
}
