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
