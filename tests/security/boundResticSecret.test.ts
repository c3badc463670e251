import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host/createHost';
import type { BackupList, BackupRunResult, BackupSettingsView } from '../../shared/dto/backup';
import { resolveOnPath } from '../helpers/onPath';
import { tempDir } from '../helpers/tempDir';

const restic = resolveOnPath('restic');
const OWNERS = 'the-owners-restic-password';

/** The real restic behind a wrapper that first writes down where it was sent and with which credentials. */
function recordingRestic(dir: string): { bin: string; runs(): string[] } {
  const log = join(dir, 'restic-runs.log');
  const bin = join(dir, 'restic');
  writeFileSync(bin, `#!/bin/sh\necho "repo=$RESTIC_REPOSITORY password=$RESTIC_PASSWORD rest=$RESTIC_REST_PASSWORD aws=$AWS_SECRET_ACCESS_KEY b2=$B2_ACCOUNT_KEY stripe=$STRIPE_API_KEY smtp=$CHURCH_SMTP_PASSWORD" >> '${log}'\nexec '${restic}' "$@"\n`);
  chmodSync(bin, 0o755);
  return { bin, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

async function call<T>(host: Host, name: string, input: unknown): Promise<T> {
  const r = await host.dispatch(name as never, input as never, { actor: 'web' });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

const resticSettings = (repository: string) => ({ repository, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, checkEveryDays: 7 });

if (!restic) console.log('SKIPPED: the restic password bound to its repository — no restic on this machine (apt-get install restic; CI installs it)');
describe.skipIf(!restic)('secrets bound to their destination: the restic password (a real restic)', () => {
  const hosts: Host[] = [];
  afterAll(async () => {
    for (const h of hosts) await h.close();
  });

  it('a settings request that names another repository gets no restic run there: no init, no upload, and the view says to enter the password', async () => {
    const dir = tempDir('church-bound-restic-');
    const wrapper = recordingRestic(dir);
    const host = createHost({ dataDir: join(dir, 'studio'), env: { PATH: process.env.PATH, HOME: dir, RESTIC_PATH: wrapper.bin }, startEngines: false, logError: () => undefined });
    hosts.push(host);
    const ownersRepo = join(dir, 'owners-repo');
    const attackersRepo = join(dir, 'attackers-repo');
    await call(host, 'backup.setSettings', { restic: resticSettings(ownersRepo), resticPassword: OWNERS });
    expect(await call<BackupRunResult>(host, 'backup.run', { restic: true })).toMatchObject({ ok: true, error: null });

    const moved = await call<BackupSettingsView>(host, 'backup.setSettings', { restic: resticSettings(attackersRepo) });
    expect(moved).toMatchObject({ resticPasswordSet: false, resticPasswordNote: expect.stringMatching(/repository changed to .*attackers-repo .*enter the password for the new repository/) });
    const run = await call<BackupRunResult>(host, 'backup.run', { restic: true });
    expect(run).toMatchObject({ ok: false, error: expect.stringMatching(/enter the password for the new repository/) });
    expect((await call<BackupList>(host, 'backup.list', {})).resticProblem).toMatch(/enter the password for the new repository/);
    expect(existsSync(join(attackersRepo, 'config'))).toBe(false); // never initialised with the owner's password
    expect(wrapper.runs().filter((r) => r.includes('attackers-repo'))).toEqual([]);
  }, 120_000);

  it('credentials in a rest: URL are redacted in the view, the errors and the audit log; restic gets its environment credentials, not the studio\'s', async () => {
    // A REST server that exists only to say "no repository here" and to record the login it was sent.
    const logins: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      logins.push(req.headers.authorization ?? 'none');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const dir = tempDir('church-restic-url-');
      const wrapper = recordingRestic(dir);
      const env = { PATH: process.env.PATH, HOME: dir, RESTIC_PATH: wrapper.bin, AWS_SECRET_ACCESS_KEY: 'aws-secret-for-restic', B2_ACCOUNT_KEY: 'b2-key-for-restic', RESTIC_REST_PASSWORD: 'rest-env-password', STRIPE_API_KEY: 'rk_live_not_for_restic', CHURCH_SMTP_PASSWORD: 'smtp-not-for-restic' };
      const host = createHost({ dataDir: join(dir, 'studio'), env, startEngines: false, logError: () => undefined });
      hosts.push(host);
      const url = `rest:http://alice:hunter2-in-the-url@127.0.0.1:${port}/repo/`;
      const view = await call<BackupSettingsView>(host, 'backup.setSettings', { restic: resticSettings(url), resticPassword: OWNERS });
      expect(view.restic.repository).toBe(`rest:http://alice:***@127.0.0.1:${port}/repo/`);
      const list = await call<BackupList>(host, 'backup.list', {});
      expect(list.resticProblem).toMatch(/no restic repository at rest:http:\/\/alice:\*\*\*@127\.0\.0\.1/);
      // The window saves the view back (other fields changed): the stored credentials are kept, never the stars.
      await call(host, 'backup.setSettings', { restic: { ...view.restic, keepDaily: 3 } });
      expect((await call<BackupSettingsView>(host, 'backup.getSettings', {})).resticPasswordSet).toBe(true);
      await call(host, 'backup.list', {});
      expect(logins.filter((l) => l !== 'none').map((l) => Buffer.from(l.replace(/^Basic /, ''), 'base64').toString())).toContain('alice:hunter2-in-the-url');

      const shown = JSON.stringify([view, list, await call(host, 'backup.getSettings', {}), await call(host, 'backup.status', {})]);
      expect(shown).not.toContain('hunter2-in-the-url');
      const audit = (host.db.prepare('SELECT input FROM audit_log').all() as { input: string }[]).map((a) => a.input).join('\n');
      expect(audit).toContain('alice:***@');
      expect(audit).not.toContain('hunter2-in-the-url');

      const runs = wrapper.runs();
      expect(runs.length).toBeGreaterThan(0);
      for (const r of runs) {
        expect(r).toContain(`repo=${url}`);
        expect(r).toContain(`password=${OWNERS} rest=rest-env-password aws=aws-secret-for-restic b2=b2-key-for-restic stripe= smtp=`);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 120_000);
});
