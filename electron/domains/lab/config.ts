import { ChurchError } from '../../../shared/errors';
import { readCaFile, trustLabCa } from './labCa';
import { readLabSecret } from './labSecretFile';

export { readLabSecret } from './labSecretFile';

export interface LabConfig {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  secret: Buffer;
}

/** Whether a lab is configured at all, without reading anything (with none, nothing of the lab loads). */
export function labRequested(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CHURCH_LAB_URL);
}

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ChurchError('INVALID_INPUT', `the lab URL "${url}" is not a URL; use redis://host:6379 (or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ChurchError('INVALID_INPUT', `the lab URL must start with redis:// or rediss://, got "${u.protocol}//"`);
  return url;
}

/** The lab from CHURCH_LAB_URL + CHURCH_LAB_SECRET_FILE (the global --lab / --lab-secret-file options set these). */
export function labConfigFromEnv(env: NodeJS.ProcessEnv, dataDirs: readonly string[] = []): LabConfig | null {
  if (!env.CHURCH_LAB_URL) return null;
  const file = env.CHURCH_LAB_SECRET_FILE;
  if (!file) throw new ChurchError('INVALID_INPUT', 'the lab is on (CHURCH_LAB_URL / --lab) but has no secret; pass --lab-secret-file FILE or set CHURCH_LAB_SECRET_FILE');
  const config = { url: checkUrl(env.CHURCH_LAB_URL), secret: readLabSecret(file, dataDirs) };
  if (env.CHURCH_LAB_CA_FILE) trustLabCa(config.url, readCaFile(env.CHURCH_LAB_CA_FILE, 'check CHURCH_LAB_CA_FILE (a PEM certificate file)'));
  return config;
}

/**
 * An agent's lab; caFile: the CA that signed a rediss:// Redis's certificate (--lab-ca / CHURCH_LAB_CA_FILE);
 * dataDirs: the data dirs the secret may not live in (the agent's, the studio's).
 */
export function labConfig(url: string, secretFile: string | undefined, caFile?: string, dataDirs: readonly string[] = []): LabConfig {
  if (!secretFile) throw new ChurchError('INVALID_INPUT', 'an agent needs the lab secret: pass --secret-file FILE (or set CHURCH_LAB_SECRET_FILE)');
  const config = { url: checkUrl(url), secret: readLabSecret(secretFile, dataDirs) };
  if (caFile) trustLabCa(config.url, readCaFile(caFile, 'check --lab-ca / CHURCH_LAB_CA_FILE (a PEM certificate file)'));
  return config;
}
