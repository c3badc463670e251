import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/dto/system';
import { church, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { freePort } from '../helpers/freePort';

const offline = { CHURCH_NO_ATTACH: '1' };

/** An "editor" that runs a line of JavaScript over the settings file, as a person would edit it. */
function editorScript(dir: string, js: string): string {
  const file = join(dir, `editor-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `#!${process.execPath}\nimport { readFileSync, writeFileSync } from 'node:fs';\nconst f = process.argv[2];\nconst c = JSON.parse(readFileSync(f, 'utf8'));\n${js}\nwriteFileSync(f, JSON.stringify(c, null, 2));\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('church config without a studio running writes the database (real child processes)', () => {
  it('set, get, list and unset over the settings, the value kept for the next process', async () => {
    const dataDir = tempDir('church-config-');
    const set = await church(['config', 'set', 'backup.restic.repository', '/srv/restic/studio', '--data-dir', dataDir], { env: offline });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/backup.restic.repository = \/srv\/restic\/studio/);
    const get = await church(['config', 'get', 'backup.restic.repository', '--data-dir', dataDir], { env: offline });
    expect(get.stdout.trim()).toBe('/srv/restic/studio');
    expect((await church(['config', 'set', 'monitor.rules.cpu-temp.warn', '85', '--data-dir', dataDir], { env: offline })).code).toBe(0);
    const list = await church(['config', 'list', '--json', '--data-dir', dataDir], { env: offline });
    const parsed = JSON.parse(list.stdout) as { settings: Record<string, unknown>; secrets: Record<string, string> };
    expect(parsed.settings['monitor.rules.cpu-temp.warn']).toBe(85);
    expect(parsed.settings['monitor.prometheus.enabled']).toBe(false);
    expect(parsed.settings['lab.targets']).toEqual([]);
    expect(parsed.settings['jobs.concurrency']).toEqual(expect.any(Number));
    expect(parsed.settings['preferences.theme']).toBe('system');
    expect(parsed.secrets).toMatchObject({ 'monitor.smtp.password': 'unset', 'backup.restic.password': 'unset', 'stripe.key': 'unset' });
    expect((await church(['config', 'unset', 'backup.restic.repository', '--data-dir', dataDir], { env: offline })).code).toBe(0);
    expect((await church(['config', 'get', 'backup.restic.repository', '--json', '--data-dir', dataDir], { env: offline })).stdout).toMatch(/"value": null/);
  }, 90_000);

  it('a refused value names the field as the screen does (exit 2), the machine code with --json, nothing saved', async () => {
    const dataDir = tempDir('church-config-bad-');
    const r = await church(['config', 'set', 'monitor.smtp.port', '70000', '--data-dir', dataDir], { env: offline });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('church: SMTP port (monitor.smtp.port): enter a port number from 1 to 65535 (587 for STARTTLS, 465 for TLS).');
    const j = await church(['--json', 'config', 'set', 'lab.targets', 'ftp://nas.lan', '--data-dir', dataDir], { env: offline });
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stderr)).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^node_exporter targets \(lab.targets.0\): enter one URL a line/) } });
    const unknown = await church(['config', 'set', 'monitor.smtp.portt', '1', '--data-dir', dataDir], { env: offline });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/there is no setting monitor.smtp.portt; under monitor.smtp there are/);
    expect((await church(['config', 'get', 'monitor.smtp.port', '--data-dir', dataDir], { env: offline })).stdout.trim()).toBe('587');
  }, 90_000);

  it('a secret is never an argument, and without a studio it says which variable to set', async () => {
    const dataDir = tempDir('church-config-secret-');
    const arg = await church(['config', 'set', 'monitor.smtp.password', 'hunter2', '--data-dir', dataDir], { env: offline });
    expect(arg.code).toBe(2);
    expect(arg.stderr).toMatch(/is a secret: it is never taken as an argument/);
    const extra = await church(['config', 'set-secret', 'monitor.smtp.password', 'hunter2', '--data-dir', dataDir], { env: offline });
    expect(extra.code).toBe(2);
    const piped = await church(['config', 'set-secret', 'monitor.smtp.password', '--data-dir', dataDir], { env: offline, stdin: 'hunter2\n' });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(/set CHURCH_SMTP_PASSWORD where "church serve" runs/);
  }, 60_000);

  it('edit opens $EDITOR on the JSON: a good edit is saved, a refused one saves nothing and keeps the file', async () => {
    const dataDir = tempDir('church-config-edit-');
    const good = editorScript(dataDir, "c.settings.monitor.prometheus.port = 9333; c.settings.lab.targets = ['http://nas.lan:9100/metrics'];");
    const r = await church(['config', 'edit', '--data-dir', dataDir], { env: { ...offline, VISUAL: '', EDITOR: good } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ monitor, lab saved/);
    expect((await church(['config', 'get', 'lab.targets', '--data-dir', dataDir], { env: offline })).stdout.trim()).toBe('["http://nas.lan:9100/metrics"]');
    const bad = editorScript(dataDir, 'c.settings.monitor.prometheus.port = 80;');
    const refused = await church(['config', 'edit', '--data-dir', dataDir], { env: { ...offline, VISUAL: '', EDITOR: bad } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/nothing was saved: Prometheus port \(monitor.prometheus.port\): enter a port number from 1024 to 65535.*kept in (\S+settings\.json)/);
    const kept = /kept in (\S+settings\.json)/.exec(refused.stderr)![1]!;
    expect(existsSync(kept)).toBe(true);
    expect((await church(['config', 'get', 'monitor.prometheus.port', '--data-dir', dataDir], { env: offline })).stdout.trim()).toBe('9333');
  }, 90_000);

  it('export and import carry the settings to another data dir', async () => {
    const from = tempDir('church-config-from-');
    const to = tempDir('church-config-to-');
    await church(['config', 'set', 'preferences.theme', 'dark', '--data-dir', from], { env: offline });
    await church(['config', 'set', 'backup.keep', '14', '--data-dir', from], { env: offline });
    const exported = await church(['config', 'export', '--data-dir', from], { env: offline });
    expect(exported.stdout).not.toMatch(/password|token/i);
    const file = join(from, 'settings-export.json');
    writeFileSync(file, exported.stdout);
    const imported = await church(['config', 'import', file, '--data-dir', to], { env: offline });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/backup.*preferences|preferences.*backup/);
    expect((await church(['config', 'get', 'preferences.theme', '--data-dir', to], { env: offline })).stdout.trim()).toBe('dark');
    expect((await church(['config', 'get', 'backup.keep', '--data-dir', to], { env: offline })).stdout.trim()).toBe('14');
  }, 90_000);
});

describe('church config attached to a running studio applies live', () => {
  it('turns the Prometheus endpoint on in the running studio, and stores a piped secret without it reaching the audit log', async () => {
    const dataDir = tempDir('church-config-live-');
    const serve = await startServe(dataDir);
    try {
      const port = await freePort();
      expect((await church(['config', 'set', 'monitor.prometheus.port', String(port), '--data-dir', dataDir])).code).toBe(0);
      const on = await church(['config', 'set', 'monitor.prometheus.enabled', 'true', '--data-dir', dataDir]);
      expect(on.code, on.stderr).toBe(0);
      expect(on.stdout).toMatch(/applied to the running studio/);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/# TYPE/);
      const secret = await church(['config', 'set-secret', 'monitor.smtp.password', '--data-dir', dataDir], { stdin: 's3cret-smtp-pw\n' });
      expect(secret.code, secret.stderr).toBe(0);
      expect(secret.stdout).toMatch(/SMTP password stored; the running studio keeps it until it stops: to keep it across restarts set CHURCH_SMTP_PASSWORD/);
      const list = JSON.parse((await church(['config', 'list', '--json', '--data-dir', dataDir])).stdout) as { attached: boolean; secrets: Record<string, string> };
      expect(list).toMatchObject({ attached: true, secrets: { 'monitor.smtp.password': 'set' } });
      const audit = await church(['audit', '--json', '--limit', '100', '--data-dir', dataDir]);
      const entries = JSON.parse(audit.stdout) as AuditEntry[];
      expect(entries.some((e) => e.action === 'monitor.setSmtpPassword' && e.actor === 'cli')).toBe(true);
      expect(audit.stdout).not.toContain('s3cret-smtp-pw');
      expect(serve.stderr()).not.toContain('s3cret-smtp-pw');

      // A push channel's token (the alert channels' settings appear as keys by themselves; their secrets by name).
      expect((await church(['config', 'set', 'monitor.channels.ntfy.server', 'https://ntfy.example.net', '--data-dir', dataDir])).code).toBe(0);
      const token = await church(['config', 'set-secret', 'monitor.channels.ntfy.token', '--data-dir', dataDir], { stdin: 'tk_s3cretntfytoken\n' });
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout).toMatch(/ntfy access token \(or password\) stored; .*CHURCH_NTFY_TOKEN/);
      const after = JSON.parse((await church(['config', 'list', '--json', '--data-dir', dataDir])).stdout) as { secrets: Record<string, string> };
      expect(after.secrets).toMatchObject({ 'monitor.channels.ntfy.token': 'set', 'monitor.channels.gotify.token': 'unset' });
      expect((await church(['audit', '--json', '--limit', '100', '--data-dir', dataDir])).stdout).not.toContain('tk_s3cretntfytoken');
    } finally {
      await serve.stop();
    }
    expect(readFileSync(join(dataDir, 'studio.sqlite')).includes('s3cret-smtp-pw')).toBe(false);
  }, 120_000);
});
