import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { attachToken } from '../../electron/host/transports/credentials';
import type { KillRun } from '../../shared/dto/killswitch';
import { church, startServe } from '../helpers/cli';
import { resolveOnPath } from '../helpers/onPath';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs, type WsReply } from '../helpers/wsClient';

// Issue #25 item 2, the review's reproduction: a browser token points the studio at a restic repository, restores
// a snapshot made elsewhere that carries its own killswitch-plan.json, and triggers the kill switch. The plan's
// command step arrived with the snapshot: it is restored as data and shown, but it never runs until the owner
// accepts it (`church kill --accept-plan`, or the hold gesture in the window).
const PASSWORD = 'correct horse battery staple';
const restic = resolveOnPath('restic');

if (!restic) console.log('SKIPPED: a restored plan held until accepted — no restic on this machine (apt-get install restic; CI installs it)');
describe.skipIf(!restic)('a plan that arrives with a restore never runs until the owner accepts it (item 2)', () => {
  const root = tempDir('church-restored-plan-');
  const elsewhere = join(root, 'elsewhere');
  const victim = join(root, 'victim');
  const repo = join(root, 'repo');
  const marker = join(root, 'pwned');
  const uiDir = tempDir('church-restored-plan-ui-');
  const env = { RESTIC_PASSWORD: PASSWORD };
  let serve: Awaited<ReturnType<typeof startServe>>;
  let webToken = '';
  let resticId = '';

  beforeAll(async () => {
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
    // The attacker's snapshot, made on another studio: its plan runs a shell step that writes who it ran as.
    const other = createHost({ dataDir: elsewhere, env: { ...process.env, ...env }, logError: () => undefined, startEngines: false });
    try {
      writeFileSync(join(elsewhere, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'command', label: 'planted', argv: ['sh', '-c', `id > '${marker}'`] }] }));
      other.backup.setSettings({ restic: { repository: repo, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, checkEveryDays: 7 } });
      const r = await other.backup.run({ restic: true });
      expect(r.error).toBeNull();
      resticId = r.restic!.snapshotId;
    } finally {
      await other.close();
    }
    serve = await startServe(victim, { CHURCH_UI_DIR: uiDir, ...env });
    webToken = new URL(serve.url).searchParams.get('token')!;
  }, 120_000);
  afterAll(() => serve?.stop());

  async function call(token: string, name: string, input: unknown): Promise<WsReply['result']> {
    const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
    try {
      c.send(JSON.stringify({ id: 1, name, input }));
      return (await c.next((m) => m.type === 'result')).result;
    } finally {
      c.close();
    }
  }

  it('restores the snapshot with the browser token; the planted step is shown as pending and does not run', async () => {
    expect(await call(webToken, 'backup.setSettings', { restic: { repository: repo, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, checkEveryDays: 7 } })).toMatchObject({ ok: true });
    expect(await call(webToken, 'backup.restore', { id: resticId })).toMatchObject({ ok: true });
    // Restored as data: the plan file is the snapshot's.
    expect(readFileSync(join(victim, 'killswitch-plan.json'), 'utf8')).toContain(marker);
    const info = await call(webToken, 'killswitch.getPlan', {});
    expect(info).toMatchObject({ ok: true, value: { steps: [{ kind: 'command', pendingAcceptance: true }] } });

    const run = await call(webToken, 'killswitch.trigger', { dryRun: false });
    expect(run?.ok, JSON.stringify(run)).toBe(true);
    const step = (run!.value as KillRun).steps[0]!;
    expect(step).toMatchObject({ status: 'skipped', pendingAcceptance: true, ran: [] });
    expect(step.note).toMatch(/pending/);
    expect(step.note).toMatch(/church kill --accept-plan/);
    expect(existsSync(marker)).toBe(false);
  });

  it('the browser token cannot accept it, nor keep it in a saved plan and make it run', async () => {
    const accept = await call(webToken, 'killswitch.acceptPlan', { fingerprint: 'x'.repeat(64) });
    expect(accept).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const plan = JSON.parse(readFileSync(join(victim, 'killswitch-plan.json'), 'utf8')) as unknown;
    expect(await call(webToken, 'killswitch.setPlan', { plan })).toMatchObject({ ok: true });
    const inline = await call(webToken, 'killswitch.trigger', { dryRun: false, plan });
    expect((inline?.value as KillRun).steps[0]).toMatchObject({ status: 'skipped', pendingAcceptance: true });
    // The MCP token reaches none of it.
    const key = (JSON.parse(readFileSync(join(victim, 'instance.json'), 'utf8')) as { token: string }).token;
    expect(await call(attachToken(key, 'mcp'), 'killswitch.acceptPlan', { fingerprint: 'x'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(existsSync(marker)).toBe(false);
  });

  it('church kill --accept-plan asks on a terminal; without --yes and no terminal it accepts nothing', async () => {
    const r = await church(['kill', '--accept-plan', '--data-dir', victim], { stdin: '' });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`sh -c "id > '${marker}'"`);
    const run = await call(webToken, 'killswitch.trigger', { dryRun: false });
    expect((run?.value as KillRun).steps[0]).toMatchObject({ status: 'skipped', pendingAcceptance: true });
    expect(existsSync(marker)).toBe(false);
  });

  it('once the owner accepts it with church kill --accept-plan --yes, the step runs', async () => {
    const r = await church(['kill', '--accept-plan', '--yes', '--json', '--data-dir', victim]);
    expect(r.code, r.stderr).toBe(0);
    const run = await call(webToken, 'killswitch.trigger', { dryRun: false });
    expect((run?.value as KillRun).steps[0]).toMatchObject({ status: 'ok' });
    expect(readFileSync(marker, 'utf8')).toMatch(/^uid=/);
  });
});
