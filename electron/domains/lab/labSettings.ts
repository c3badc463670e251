import { labSettingsSchema } from '../../../shared/contract/lab';
import type { LabSettings } from '../../../shared/dto/lab';
import { ChurchError } from '../../../shared/errors';
import { SecretBindings, type BoundSecret, type SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { labConfig, labConfigFromEnv, type LabConfig } from './config';
import { readCaFile, trustLabCa } from './labCa';

export const LAB_SETTINGS_KEY = 'lab';
/** The Redis password's name in the secret store (CHURCH_LAB_REDIS_PASSWORD when the store is the environment). */
export const LAB_PASSWORD_SECRET = 'lab-redis-password';

export const DEFAULT_LAB_SETTINGS: LabSettings = {
  enabled: false,
  redisUrl: '',
  user: '',
  tls: false,
  caFile: '',
  secretFile: '',
  targets: [],
  scrapeIntervalSec: 15,
  scrapeTimeoutSec: 5,
  offlineSec: 15,
};

export function readLabSettings(store: SettingsStore): LabSettings {
  return store.get(LAB_SETTINGS_KEY, labSettingsSchema, DEFAULT_LAB_SETTINGS);
}

export function writeLabSettings(store: SettingsStore, value: LabSettings): LabSettings {
  return store.set(LAB_SETTINGS_KEY, labSettingsSchema, value);
}

/**
 * Where the Redis password goes: the Redis host, and whether over TLS (a password that was sent encrypted is not
 * sent in clear without being entered again). '' while no Redis is set.
 */
export function labDestination(s: LabSettings): string {
  if (!s.redisUrl || !URL.canParse(s.redisUrl)) return '';
  return `${s.tls ? 'rediss' : new URL(s.redisUrl).protocol.replace(':', '')}://${new URL(s.redisUrl).host.toLowerCase()}`;
}

/** The Redis password, if it was entered for the Redis these settings name. */
export function labPassword(secrets: SecretStore, store: SettingsStore, s: LabSettings): BoundSecret {
  return new SecretBindings(secrets, store).read(LAB_PASSWORD_SECRET, labDestination(s));
}

/** What the Lab settings say of a password entered for another Redis. */
export function labPasswordMovedNote(s: LabSettings): string {
  return `the Redis URL changed to ${maskRedisUrl(s.redisUrl)} since the password was entered, so it was cleared: enter the password for the new server in Settings → Lab`;
}

/** The Redis URL the connection uses: the settings' host with the ACL user, the password and rediss:// for TLS. */
export function redisUrlFromSettings(s: LabSettings, password: string | null): string {
  const u = new URL(s.redisUrl);
  if (s.tls) u.protocol = 'rediss:';
  if (s.user) u.username = encodeURIComponent(s.user);
  // ioredis takes a password without a user as the default user's (AUTH password)
  if (password) u.password = encodeURIComponent(password);
  return u.toString();
}

/** A Redis URL fit to show: the password replaced, so it can go on a screen or into a log. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unreadable URL';
  }
}

export interface ResolvedLab {
  config: LabConfig | null;
  source: 'environment' | 'settings' | 'off';
  /** Why the lab in Settings could not be used (the studio then runs without it). */
  problem: string | null;
}

/**
 * The lab this process uses: CHURCH_LAB_URL / --lab win over Settings (so scripts and tests keep control); a lab
 * from the environment that is wrong throws (the command fails at once, as before), one from Settings that is
 * wrong is reported and the studio runs on its own.
 */
export function resolveLab(env: NodeJS.ProcessEnv, store: SettingsStore, secrets: SecretStore, dataDirs: readonly string[] = []): ResolvedLab {
  const fromEnv = labConfigFromEnv(env, dataDirs);
  if (fromEnv) return { config: fromEnv, source: 'environment', problem: null };
  const s = readLabSettings(store);
  if (!s.enabled || !s.redisUrl) return { config: null, source: 'off', problem: null };
  try {
    const password = labPassword(secrets, store, s);
    // A password entered for another Redis is never sent to this one (docs/security.md).
    if (password.state === 'moved') return { config: null, source: 'off', problem: labPasswordMovedNote(s) };
    const config = labConfig(redisUrlFromSettings(s, password.value), s.secretFile || undefined, undefined, dataDirs);
    if (s.tls && s.caFile) trustLabCa(config.url, readCaFile(s.caFile, 'in Settings → Lab, pick a PEM certificate file or leave "CA file" empty'));
    return { config, source: 'settings', problem: null };
  } catch (e) {
    const message = e instanceof ChurchError ? e.message : `the lab could not be set up: ${(e as Error).message}`;
    return { config: null, source: 'off', problem: message.replace('check --lab-secret-file / CHURCH_LAB_SECRET_FILE', 'check "Lab secret file" in Settings → Lab') };
  }
}
