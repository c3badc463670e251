import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/platform/audit';
import { openDatabase } from '../../electron/platform/db';
import type { AuditEntry } from '../../shared/dto/system';
import { CHURCH_BIN, church, startServe } from '../helpers/cli';
import { callServe, callServeValue } from '../helpers/studio';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

const KEY = 'rk_test_51FollowTheAuditLogNotTheKey0123456789';
const SMTP_PASSWORD = 'correct-horse-battery-staple';

function jsonLines(text: string): AuditEntry[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);
}

/** `church audit --follow --json` as a log shipper would run it: a child whose stdout is read line by line. */
function followAudit(dataDir: string) {
  const child = spawn(process.execPath, [CHURCH_BIN, 'audit', '--follow', '--json', '--limit', '500', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { lines: () => jsonLines(out), stderr: () => err, stop: () => (child.kill('SIGTERM'), exited) };
}

describe('the audit log for log shippers', () => {
  const dir = tempDir('audit-ship-');

  it('church audit --follow --json prints each entry of a running studio as a JSON line; the .jsonl file holds the same, redacted, 0600', async () => {
    const dataDir = join(dir, 'data');
    const file = join(dir, 'logs', 'audit.jsonl');
    const serve = await startServe(dataDir);
    let follower: ReturnType<typeof followAudit> | null = null;
    try {
      // Turned on from the shell while the studio runs: it applies live.
      const set = await church(['audit', 'file', file, '--max-size', '1M', '--keep', '3', '--json', '--data-dir', dataDir]);
      expect(set.code, set.stderr).toBe(0);
      expect(JSON.parse(set.stdout)).toEqual({ path: file, maxBytes: 1024 * 1024, keep: 3 });
      follower = followAudit(dataDir);
      await callServeValue(serve, 'preferences.set', { theme: 'dark' });
      await callServeValue(serve, 'stripe.setKey', { key: KEY });
      await callServeValue(serve, 'monitor.setSmtpPassword', { password: SMTP_PASSWORD });
      const refused = await callServe(serve, 'stripe.setKey', { key: 'sk_test_notRestricted0123456789' });
      expect(refused.result?.ok).toBe(false);
      const f = follower;
      const followed = await waitFor('the four calls followed', () => {
        const lines = f.lines();
        return lines.filter((l) => l.actor === 'web').length >= 4 ? lines : null;
      });
      const web = followed.filter((l) => l.actor === 'web');
      expect(web.map((l) => [l.action, l.ok])).toEqual([
        ['preferences.set', true],
        ['stripe.setKey', true],
        ['monitor.setSmtpPassword', true],
        ['stripe.setKey', false],
      ]);
      expect(web[0]!.input).toBe('{"theme":"dark"}');
      // Redacted as in the database: no key, no password, no full secret key.
      const all = JSON.stringify(followed);
      for (const secret of [KEY, SMTP_PASSWORD, 'sk_test_notRestricted0123456789']) expect(all).not.toContain(secret);
      // The CLI's own change of the file setting is an entry too (before the follower started: among the newest).
      expect(followed.find((l) => l.action === 'audit.setFileSettings')).toMatchObject({ actor: 'cli', ok: true });

      // The file: the same entries (same ids, times, redacted inputs) from the moment it was turned on.
      const inFile = await waitFor('the file has the web entries', () => {
        const lines = existsSync(file) ? jsonLines(readFileSync(file, 'utf8')) : [];
        return lines.filter((l) => l.actor === 'web').length >= 4 ? lines : null;
      });
      expect(inFile.filter((l) => l.actor === 'web')).toEqual(web);
      expect(readFileSync(file, 'utf8')).not.toContain(SMTP_PASSWORD);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      const code = await follower?.stop();
      await serve.stop();
      if (follower) expect(code, follower.stderr()).toBe(0);
    }
  });

  it('church audit --follow without a studio reads the database itself and does not keep a studio from starting', async () => {
    const dataDir = join(dir, 'offline');
    const first = await church(['backup', '--data-dir', dataDir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const follower = followAudit(dataDir);
    await waitFor('the backup entry', () => follower.lines().some((l) => l.action === 'backup.run'));
    // The follower holds no lock: a studio started now is the primary one and its calls are followed.
    const serve = await startServe(dataDir);
    try {
      await callServeValue(serve, 'preferences.set', { theme: 'light' });
      await waitFor('the studio entry', () => follower.lines().some((l) => l.action === 'preferences.set' && l.actor === 'web'));
      const status = await callServeValue<{ phase: string }>(serve, 'backup.status', {});
      expect(status.phase).toBe('idle');
    } finally {
      await serve.stop();
      expect(await follower.stop()).toBe(0);
    }
  });

  it('rotates by size, keeping N older files, each line whole; refuses a name that is not .jsonl and writes through no symlink', () => {
    const db = openDatabase(join(dir, 'rotate.sqlite'));
    const audit = new AuditLog(db);
    const file = join(dir, 'rotate.jsonl');
    const errors: unknown[] = [];
    audit.onFileError = (e) => errors.push(e);
    audit.useFile({ path: file, maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 40; i++) audit.write({ actor: 'cli', action: 'preferences.set', input: { n: i, password: 'never-in-a-file' }, ok: true });
    const generations = [file, `${file}.1`, `${file}.2`];
    for (const f of generations) {
      expect(statSync(f).size).toBeLessThanOrEqual(1000);
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    expect(existsSync(`${file}.3`)).toBe(false);
    // Oldest first across the generations, consecutive, and the newest is the database's newest.
    const ids = [...generations].reverse().flatMap((f) => jsonLines(readFileSync(f, 'utf8')).map((l) => l.id));
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
    expect(ids.at(-1)).toBe(audit.recent(1)[0]!.id);
    expect(readFileSync(file, 'utf8')).not.toContain('never-in-a-file');
    expect(errors).toEqual([]);

    // A symlink in place of the file (pointing at something else the owner has) is not written through.
    const target = join(dir, 'not-the-audit-file.txt');
    writeFileSync(target, 'keep me\n');
    const linked = join(dir, 'linked.jsonl');
    symlinkSync(target, linked);
    audit.useFile({ path: linked, maxBytes: 1_000_000, keep: 1 });
    audit.write({ actor: 'cli', action: 'preferences.set', input: {}, ok: true });
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(errors).toHaveLength(1);
    // The entry is in the database all the same.
    expect(audit.recent(1)[0]!.action).toBe('preferences.set');
    db.close();
  });

  it('church audit file refuses a path that is not .jsonl with what to do (exit 2)', async () => {
    const r = await church(['audit', 'file', join(dir, '.bashrc'), '--data-dir', join(dir, 'refuse')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^church: the audit file's name must end in \.jsonl/);
  });
});
