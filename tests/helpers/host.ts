import { afterAll } from 'vitest';
import { createHost, type Host, type HostOptions } from '../../electron/host/createHost';
import { tempDir } from './tempDir';

/** A real host (real SQLite file) on a fresh temp data dir, closed after the test file. */
export function testHost(opts: Partial<HostOptions> = {}): Host {
  const host = createHost({ dataDir: tempDir('church-host-'), logError: () => undefined, ...opts });
  afterAll(() => host.close());
  return host;
}
