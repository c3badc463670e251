import { z } from 'zod';
import type { SecretStoreInfo } from '../../../shared/dto/secrets';
import type { SettingsStore } from '../settings';
import type { SecretStore } from './SecretStore';

/**
 * When each stored secret was set, by name (ISO time). Not secret, so it lives in the settings beside the bindings;
 * a secret stored before this record existed (or given in the environment) has none: its age is unknown.
 */
export const SECRET_DATES_KEY = 'secret-dates';
const datesSchema = z.record(z.string(), z.string());

/**
 * A secret store that records when each secret was set: every `set` (Settings, a rotation, a binding) stamps the
 * time, a `delete` drops it. Values pass through untouched, so wrapping an existing store migrates nothing and
 * loses nothing. Over the environment store (CLI, `church serve`) the dates are kept in memory like the values
 * entered there: a date saved for a value that reverts to the environment's at the next start would be false.
 */
export class DatedSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly inner: SecretStore,
    private readonly settings: SettingsStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get(name: string): string | null {
    return this.inner.get(name);
  }

  set(name: string, value: string): void {
    this.inner.set(name, value);
    this.record(name, this.now().toISOString());
  }

  delete(name: string): void {
    this.inner.delete(name);
    this.record(name, null);
  }

  info(): SecretStoreInfo {
    return this.inner.info();
  }

  acceptWeak(accept: boolean): void {
    this.inner.acceptWeak(accept);
  }

  /** When `name` was set, or null when unknown (stored before dates were kept, or from the environment). */
  setAt(name: string): string | null {
    return this.dates()[name] ?? null;
  }

  private dates(): Record<string, string> {
    if (this.inner.kind === 'environment') return Object.fromEntries(this.memory);
    return this.settings.get(SECRET_DATES_KEY, datesSchema, {});
  }

  private record(name: string, at: string | null): void {
    if (this.inner.kind === 'environment') {
      if (at === null) this.memory.delete(name);
      else this.memory.set(name, at);
      return;
    }
    const all = { ...this.dates() };
    if (at === null) delete all[name];
    else all[name] = at;
    this.settings.set(SECRET_DATES_KEY, datesSchema, all);
  }
}

/** Whole days from `setAt` to `now`; null when the date is unknown. */
export function secretAgeDays(setAt: string | null, now: number = Date.now()): number | null {
  if (!setAt) return null;
  const t = Date.parse(setAt);
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 86_400_000));
}
