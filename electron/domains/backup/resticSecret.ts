import { redactUrlCredentials } from '../../platform/audit';
import { SecretBindings, type BoundSecret, type SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';

/** The restic password's name in the secret store (RESTIC_PASSWORD when the store is the environment). */
export const RESTIC_PASSWORD_SECRET = 'restic-password';

/** A repository fit to show or log: a password in its URL (`rest:https://user:pass@host/`) replaced by `***`. */
export function redactRepository(repository: string): string {
  return redactUrlCredentials(repository);
}

/**
 * Where the restic password goes: the repository, without the credentials its URL may carry (new credentials
 * for the same server are the same destination). '' while none is set.
 */
export function repositoryDestination(repository: string | null): string {
  return repository ? redactRepository(repository) : '';
}

/** What Settings says of a restic password entered for another repository. */
export function resticMovedNote(repository: string): string {
  return `the restic repository changed to ${redactRepository(repository)} since the password was entered, so it was cleared: enter the password for the new repository in Settings → Backups → Restic password`;
}

/**
 * A repository as the window sent it back: the view shows it redacted, so a save that returns the redacted form
 * of the stored repository means "unchanged" and keeps the credentials; anything else is the new repository.
 */
export function repositoryFromInput(input: string | null, stored: string | null): string | null {
  if (input !== null && stored !== null && input !== stored && input === redactRepository(stored)) return stored;
  return input;
}

/** The restic password, bound to the repository it was entered for (docs/security.md). */
export class ResticSecret {
  private readonly bindings: SecretBindings;
  constructor(secrets: SecretStore, settings: SettingsStore) {
    this.bindings = new SecretBindings(secrets, settings);
  }

  read(repository: string | null): BoundSecret {
    return this.bindings.read(RESTIC_PASSWORD_SECRET, repositoryDestination(repository));
  }

  store(repository: string | null, password: string | null): void {
    this.bindings.store(RESTIC_PASSWORD_SECRET, repositoryDestination(repository), password);
  }

  follow(from: string | null, to: string | null): void {
    this.bindings.follow(RESTIC_PASSWORD_SECRET, repositoryDestination(from), repositoryDestination(to));
  }
}
