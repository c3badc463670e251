import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLiveInstance } from '../../electron/host/instance';
import { processEnded } from '../../electron/platform/process/orphans';
import { pidAlive } from '../../electron/platform/process/pidAlive';
import { church, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

/** Alive and not a zombie (a zombie runs nothing; only its parent's reaping is pending). */
const running = (pid: number): boolean => !processEnded(pid);

const ROOT = join(import.meta.dirname, '..', '..');

/** Whether something accepts connections on 127.0.0.1:port (a refused connection answers at once). */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The processes whose parent is pid (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('church serve stops cleanly on a stop signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal}: exit 0, the port closed, the instance file gone, no child left`, async () => {
      const dataDir = tempDir('church-serve-stop-');
      const serve = await startServe(dataDir);
      const children = childrenOf(serve.child.pid!);
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => serve.child.once('exit', (c, s) => resolve([c, s])));
      serve.child.kill(signal);
      expect(await exited).toEqual([0, null]);
      expect(await portOpen(serve.port)).toBe(false);
      expect(existsSync(join(dataDir, 'instance.json'))).toBe(false);
      expect(children.filter(running)).toEqual([]);
    });
  }
});

describe('church serve refuses what it cannot serve', () => {
  it('a data dir a studio already has open: says so, and where (exit 1)', async () => {
    const dataDir = tempDir('church-serve-twice-');
    const first = await startServe(dataDir);
    try {
      const second = await church(['serve', '--data-dir', dataDir], { timeoutMs: 30_000 });
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      expect(second.stderr).toBe(
        `church: the studio is already open on this data dir: church serve (pid ${first.child.pid}) at http://127.0.0.1:${first.port}/; use that one (its URL with the token is what it printed), or stop it first (kill ${first.child.pid})\n`,
      );
      // The first one is untouched.
      expect(findLiveInstance(dataDir)?.port).toBe(first.port);
    } finally {
      await first.stop();
    }
  });

  it('a port in use: names the port and --port, not "listen EADDRINUSE" (exit 1)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await church(['serve', '--port', String(port), '--data-dir', tempDir('church-serve-port-')], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`church: port ${port} is in use; choose another with --port (or leave it out for a free one)\n`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('npm run serve', () => {
  let orphan = 0;
  afterAll(() => {
    // Only on a failure: the server npm left behind.
    if (orphan && pidAlive(orphan)) process.kill(orphan, 'SIGKILL');
  });

  it('passes SIGTERM on to the server: stopping npm\'s PID stops the studio, nothing is left running', async () => {
    const dataDir = tempDir('church-npm-serve-');
    const npm = spawn('npm', ['run', '--silent', 'serve', '--', '--json', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    npm.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (c) => resolve(c)));
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      npm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"port": (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((c) => reject(new Error(`npm run serve exited (${c}) before serving: ${err}`)));
    });
    const server = await waitFor('the instance file', () => findLiveInstance(dataDir));
    orphan = server.pid;
    expect(server.pid).not.toBe(npm.pid);
    npm.kill('SIGTERM');
    await exited;
    // npm waits for its child before it exits, so by now the server must be gone.
    expect(running(server.pid)).toBe(false);
    expect(await portOpen(port)).toBe(false);
  });
});
