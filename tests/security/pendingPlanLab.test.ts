import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { KillRun } from '../../shared/dto/killswitch';
import { church } from '../helpers/cli';
import { useLabCluster } from '../helpers/lab';
import { describeWithRedis } from '../helpers/redis';

// Issue #25 item 2 on a lab host: a real `church agent` whose data dir gets a plan with a command step after it
// started (a restore, a sync tool, the studio's own restore when both share a data dir) runs its own plan when the
// studio stops the lab, but holds that step as pending until the owner accepts it on that host.
describeWithRedis('a lab agent holds a command step nobody accepted (item 2)', () => {
  const cluster = useLabCluster('church-pending-lab-');
  const agentDir = join(cluster.dir, 'agent-p1');
  const marker = join(cluster.dir, 'agent-ran');

  beforeAll(async () => {
    const studioDir = join(cluster.dir, 'studio');
    mkdirSync(studioDir, { recursive: true });
    writeFileSync(join(studioDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'stop-lab', timeoutMs: 30_000 }] }));
    await cluster.startStudio({ dataDir: studioDir });
    await cluster.startAgent('p1', { dataDir: agentDir });
    // Lands after the agent started (and recorded the plan it had: none).
    writeFileSync(join(agentDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'command', label: 'landed', argv: ['/usr/bin/touch', marker] }] }));
  }, 180_000);

  const stopLab = async () => {
    const run = await cluster.studio.call<KillRun>('killswitch.trigger', { dryRun: false, reason: 'test' });
    return run.steps[0]!.hosts!.find((h) => h.host === 'p1')!;
  };

  it('the agent reports the step as pending and does not run it', async () => {
    const host = await stopLab();
    expect(host.steps[0]).toMatchObject({ kind: 'command', status: 'skipped', pendingAcceptance: true, ran: [] });
    expect(host.warning).toMatch(/wait for acceptance/);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);

  it('accepted on that host (church kill --accept-plan --yes --data-dir), it runs at the next stop', async () => {
    const r = await church(['kill', '--accept-plan', '--yes', '--json', '--data-dir', agentDir], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const host = await stopLab();
    expect(host.steps[0]).toMatchObject({ status: 'ok' });
    expect(existsSync(marker)).toBe(true);
  }, 120_000);
});
