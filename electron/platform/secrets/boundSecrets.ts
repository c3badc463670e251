import { z } from 'zod';
import type { SettingsStore } from '../settings';
import type { SecretStore } from './SecretStore';

/**
 * Which destination each stored secret was entered for (SMTP host, Redis host, restic repository, Prometheus
 * bind address). The destination is not secret, so it lives in the settings; the secret stays in its store.
 */
export const SECRET_BINDINGS_KEY = 'secret-bindings';
const bindingsSchema = z.record(z.string(), z.string());

/** `set`: bound to this destination; `unset`: none stored; `moved`: the one stored was entered for another. */
export type BoundSecretState = 'set' | 'unset' | 'moved';

export interface BoundSecret {
  value: string | null;
  state: BoundSecretState;
}

/**
 * A secret bound to where it may go (HashiCorp Vault's rule): a settings change that points the studio at
 * another server clears the secret unless it is entered again, so a credential that may change settings but not
 * read secrets (a browser token, a script) cannot redirect the stored password to a server it controls.
 *
 * The destination `''` means "none configured": a secret entered then binds to the first destination saved,
 * and a move to `''` keeps it (nothing is sent anywhere). A secret found without a record (stored by an older
 * build, or given in the environment) binds to the destination in place at its first read, and to the
 * destination it leaves at its first move.
 */
export class SecretBindings {
  constructor(
    private readonly secrets: SecretStore,
    private readonly settings: SettingsStore,
  ) {}

  private records(): Record<string, string> {
    return this.settings.get(SECRET_BINDINGS_KEY, bindingsSchema, {});
  }

  private record(name: string, destination: string | null): void {
    const all = { ...this.records() };
    if (destination === null) delete all[name];
    else all[name] = destination;
    this.settings.set(SECRET_BINDINGS_KEY, bindingsSchema, all);
  }

  /** The raw value; an unreadable keychain counts as none. */
  private raw(name: string): string | null {
    try {
      return this.secrets.get(name);
    } catch {
      return null;
    }
  }

  /** The secret when it was entered for `destination`, else null with why. */
  read(name: string, destination: string): BoundSecret {
    const value = this.raw(name);
    const bound = this.records()[name];
    if (destination === '') return { value, state: value === null ? 'unset' : 'set' };
    if (bound !== undefined && bound !== '' && bound !== destination) return { value: null, state: 'moved' };
    if (value === null) return { value: null, state: 'unset' };
    if (bound !== destination) this.record(name, destination);
    return { value, state: 'set' };
  }

  /** Stores the secret for `destination`; null (or '') removes it and its binding. */
  store(name: string, destination: string, value: string | null): void {
    if (value === null || value === '') {
      this.secrets.delete(name);
      this.record(name, null);
      return;
    }
    this.secrets.set(name, value);
    this.record(name, destination);
  }

  /**
   * The destination changes from `from` to `to` without the secret being entered again: the secret is cleared
   * unless it was entered for `to` (or for no destination yet). True when a stored secret was cleared.
   */
  follow(name: string, from: string, to: string): boolean {
    if (to === '' || from === to) return false;
    const had = this.raw(name) !== null;
    const recorded = this.records()[name];
    // Nothing stored and nothing ever bound: there is no secret to keep from the new destination.
    if (!had && recorded === undefined) return false;
    const bound = recorded ?? from;
    if (bound === '' || bound === to) {
      if (had) this.record(name, to);
      return false;
    }
    // The binding stays on the old destination, so a value from the environment is refused here too.
    this.record(name, bound);
    try {
      this.secrets.delete(name);
    } catch {
      // an unreadable keychain: the binding alone keeps the value from being used
    }
    return had;
  }
}
