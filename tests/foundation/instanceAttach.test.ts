import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KillRun } from '../../shared/dto/killswitch';
import { findLiveInstance, publishInstance } from '../../electron/host/instance';
import { church, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs } from '../helpers/wsClient';

describe('CLI attaches to a running studio', () => {
  it('publishes the instance while serving and removes it on exit', async () => {
    const dataDir = tempDir('church-attach-');
    expect(findLiveInstance(dataDir)).toBeNull();
    const serve = await startServe(dataDir);
    const live = findLiveInstance(dataDir);
    expect(live).toMatchObject({ port: serve.port, kind: 'serve', pid: serve.child.pid });
    await serve.stop();
    expect(findLiveInstance(dataDir)).toBeNull();
  });

  it('runs commands inside the running studio, so its events reach the open window', async () => {
    const dataDir = tempDir('church-attach-');
    const serve = await startServe(dataDir);
    try {
      const token = new URL(serve.url).searchParams.get('token')!;
      const window = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
      const r = await church(['kill', '--dry-run', '--json', '--data-dir', dataDir]);
      expect(r.code, r.stderr).toBe(0);
      const run = JSON.parse(r.stdout) as KillRun;
      // The run happened in the serve process: the window's socket saw its progress events (among the
      // monitor's samples, which the serve process streams too).
      const event = await window.next((m) => m.name === 'killswitch.progress');
      expect(event).toMatchObject({ type: 'event', name: 'killswitch.progress', payload: { id: run.id, trigger: 'cli' } });
      window.close();
    } finally {
      await serve.stop();
    }
  });

  it('ignores a stale instance file left by a crash and works on its own', async () => {
    const dataDir = tempDir('church-attach-');
    const unpublish = publishInstance(dataDir, { port: 1, token: 'x', kind: 'serve' });
    // Our own pid is never treated as a live peer; rewrite it with a pid that cannot exist.
    writeFileSync(join(dataDir, 'instance.json'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, token: 'x', kind: 'serve', startedAt: '' }));
    expect(findLiveInstance(dataDir)).toBeNull();
    const r = await church(['kill', '--dry-run', '--json', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    unpublish();
  });
});
