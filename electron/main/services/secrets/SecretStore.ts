import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fsutil';

/** Where secrets (the Stripe key, SMTP password, webhook secret) live. Values never leave main. */
export interface SecretStore {
  readonly kind: 'os-keychain' | 'environment' | 'memory';
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** The two calls of Electron's safeStorage, passed in by the shell so this module stays Electron-free. */
export interface Cipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

const SAFE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

function checkName(name: string): void {
  if (!SAFE_NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`);
}

/** Secrets encrypted by the OS keychain (safeStorage), one file each under `<dataDir>/secrets`. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;
  constructor(
    private readonly dir: string,
    private readonly cipher: Cipher,
  ) {}

  get(name: string): string | null {
    checkName(name);
    const file = join(this.dir, `${name}.bin`);
    if (!existsSync(file)) return null;
    return this.cipher.decrypt(readFileSync(file));
  }

  set(name: string, value: string): void {
    checkName(name);
    if (!this.cipher.isAvailable()) {
      throw new Error('the OS keychain is not available, so the secret cannot be stored safely; on Linux install and unlock a Secret Service (gnome-keyring or KWallet)');
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
}
