import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../platform/fs';
import { pidAlive } from '../platform/process/pidAlive';

/** What a running studio (desktop app or `church serve`) publishes so the CLI and MCP can attach to it. */
export interface InstanceInfo {
  pid: number;
  port: number;
  /** The attach key (not the browser token): `church` and `church mcp` derive their own tokens from it. */
  token: string;
  kind: 'desktop' | 'serve';
  startedAt: string;
}

const FILE = 'instance.json';

/** Writes `<dataDir>/instance.json` (owner-only) and returns a function that removes it if it is still ours. */
export function publishInstance(dataDir: string, info: Omit<InstanceInfo, 'pid' | 'startedAt'>): () => void {
  const file = join(dataDir, FILE);
  const mine: InstanceInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() };
  writeFileAtomic(file, JSON.stringify(mine) + '\n', 0o600);
  return () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as InstanceInfo;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // gone already
    }
  };
}

/** The running studio on this data dir, if there is one (a stale file from a crash is ignored). */
export function findLiveInstance(dataDir: string): InstanceInfo | null {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as InstanceInfo;
    if (typeof info.pid !== 'number' || typeof info.port !== 'number' || typeof info.token !== 'string') return null;
    if (info.pid === process.pid || !pidAlive(info.pid)) return null;
    return info;
  } catch {
    return null;
  }
}
