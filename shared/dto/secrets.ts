/**
 * Where the studio keeps its secrets. `weak-file` is Electron's fallback on Linux without a Secret Service:
 * encrypted with a password built into Electron, so anyone who can read the files can decrypt them.
 */
export type SecretStoreKind = 'os-keychain' | 'weak-file' | 'environment' | 'memory';

export interface SecretStoreInfo {
  kind: SecretStoreKind;
  /** The backend as Electron names it (gnome_libsecret, kwallet5, basic_text, …), or null outside the desktop app. */
  backend: string | null;
  /** With `weak-file`: the owner has agreed to keep secrets there anyway. */
  weakAccepted: boolean;
  /** One sentence for Settings: where the secrets are, and how safe that is. */
  description: string;
}

/** Rotate the Stripe restricted key this often (the seed's rule); Settings and `church doctor` remind past it. */
export const STRIPE_KEY_ROTATE_DAYS = 90;

/** One stored secret as Settings › Secrets and `church doctor` show it: set or not, and how old. Never its value. */
export interface SecretAge {
  name: string;
  /** As Settings names it ("Stripe restricted key"). */
  label: string;
  set: boolean;
  /** When it was set (ISO); null when unknown: stored before dates were kept, or given in the environment. */
  setAt: string | null;
  ageDays: number | null;
  /** The environment variable it is read from in the CLI and `church serve`. */
  envVar: string | null;
  /** Days after which it should be rotated, when there is such a rule (the Stripe key: 90). */
  rotateAfterDays: number | null;
  /** Set, and older than `rotateAfterDays`. */
  rotateDue: boolean;
}
