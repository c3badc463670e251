import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStoreInfo, SecretStoreKind } from '../../../shared/dto/secrets';
import { ChurchError } from '../../../shared/errors';
import { writeFileAtomic } from '../fs';

/** Where secrets (the Stripe key, SMTP password, webhook secret) live. Values never leave main. */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** What Settings shows: the store, its backend and how safe it is. */
  info(): SecretStoreInfo;
  /** Records the owner's consent to a weak store (only meaningful for `weak-file`). */
  acceptWeak(accept: boolean): void;
  /** When the secret was set, where the store keeps dates (DatedSecretStore); null when unknown. */
  setAt?(name: string): string | null;
}

/** The calls of Electron's safeStorage, passed in by the shell so this module stays Electron-free. */
export interface Cipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
  /**
   * Linux only: safeStorage's selected backend (gnome_libsecret, kwallet, kwallet5, kwallet6, basic_text,
   * unknown). Elsewhere the OS keychain (DPAPI, Keychain) is always behind it: return null.
   */
  backend?(): string | null;
}

/** Backends that are not a keychain: Electron encrypts with a password built into every copy of Electron. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);
const ACCEPT_FILE = 'accept-weak-store';

const SAFE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

function checkName(name: string): void {
  if (!SAFE_NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`);
}

/**
 * Secrets encrypted by safeStorage, one file each under `<dataDir>/secrets`. On Linux without a Secret Service
 * safeStorage silently falls back to a built-in password (basic_text): the store then says so (`weak-file`)
 * and refuses to store a secret until the owner accepts that in Settings.
 */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly dir: string,
    private readonly cipher: Cipher,
  ) {}

  private backend(): string | null {
    try {
      return this.cipher.backend?.() ?? null;
    } catch {
      return 'unknown';
    }
  }

  get kind(): SecretStoreKind {
    const b = this.backend();
    return b !== null && WEAK_BACKENDS.has(b) ? 'weak-file' : 'os-keychain';
  }

  private weakAccepted(): boolean {
    return existsSync(join(this.dir, ACCEPT_FILE));
  }

  info(): SecretStoreInfo {
    const kind = this.kind;
    const backend = this.backend();
    const weakAccepted = this.weakAccepted();
    const description =
      kind === 'os-keychain'
        ? `Secrets are encrypted by the OS keychain${backend ? ` (${backend})` : ''}.`
        : weakAccepted
          ? 'No OS keychain is running: secrets are stored with a password built into Electron, which anyone who can read your files can undo. You accepted this; install and unlock gnome-keyring or KWallet to do better.'
          : 'No OS keychain is running, so secrets cannot be stored safely. Install and unlock gnome-keyring or KWallet and restart the studio, or accept the weaker store below.';
    return { kind, backend, weakAccepted, description };
  }

  acceptWeak(accept: boolean): void {
    const file = join(this.dir, ACCEPT_FILE);
    if (!accept) return rmSync(file, { force: true });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(file, `accepted ${new Date().toISOString()}\n`, 0o600);
  }

  get(name: string): string | null {
    checkName(name);
    const file = join(this.dir, `${name}.bin`);
    if (!existsSync(file)) return null;
    return this.cipher.decrypt(readFileSync(file));
  }

  set(name: string, value: string): void {
    checkName(name);
    if (!this.cipher.isAvailable()) {
      throw new ChurchError('UNAVAILABLE', 'the OS keychain is not available, so the secret cannot be stored safely; on Linux install and unlock a Secret Service (gnome-keyring or KWallet)');
    }
    if (this.kind === 'weak-file' && !this.weakAccepted()) {
      throw new ChurchError(
        'UNAVAILABLE',
        'no OS keychain is running, so this secret would be stored under a password built into Electron; install and unlock gnome-keyring or KWallet and restart the studio, or tick "Keep secrets without a keychain" in Settings › Secrets',
      );
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(this.dir, `${name}.bin`), this.cipher.encrypt(value), 0o600);
  }

  delete(name: string): void {
    checkName(name);
    rmSync(join(this.dir, `${name}.bin`), { force: true });
  }
}

/** CLI and headless modes: secrets come from environment variables (e.g. STRIPE_API_KEY) and are not persisted. */
export class EnvironmentSecretStore implements SecretStore {
  readonly kind = 'environment' as const;
  private readonly overrides = new Map<string, string | null>();
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly names: Record<string, string>,
  ) {}

  get(name: string): string | null {
    checkName(name);
    if (this.overrides.has(name)) return this.overrides.get(name) ?? null;
    const envName = this.names[name];
    return (envName && this.env[envName]) || null;
  }

  set(name: string, value: string): void {
    checkName(name);
    this.overrides.set(name, value);
  }

  delete(name: string): void {
    checkName(name);
    this.overrides.set(name, null);
  }

  info(): SecretStoreInfo {
    return {
      kind: 'environment',
      backend: null,
      weakAccepted: false,
      description: `Secrets come from environment variables (${Object.values(this.names).join(', ')}); one entered here lasts until the studio stops.`,
    };
  }

  acceptWeak(): void {
    // Nothing is written to disk here, so there is nothing to accept.
  }
}

/**
 * Moves the named secret variables out of the process's own environment into a private copy for the secret
 * store, so that no child started behind the studio's back (a library that spawns with `process.env`, such as
 * systeminformation on Windows and macOS) inherits them. Any other environment object is only copied.
 */
export function takeSecretsFromEnv(env: NodeJS.ProcessEnv, names: Record<string, string>): NodeJS.ProcessEnv {
  const taken: NodeJS.ProcessEnv = {};
  for (const v of Object.values(names)) {
    if (env[v] === undefined) continue;
    taken[v] = env[v];
    if (env === process.env) delete process.env[v];
  }
  return taken;
}
