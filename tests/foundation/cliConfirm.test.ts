import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/dto/system';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

// The typed-word prompt needs a terminal; a test's stdin is a pipe, which must count as "not confirmed" so that
// nothing piped in can answer for a person.
describe('commands that cannot be undone ask for a typed word (real child processes)', () => {
  const env = { CHURCH_NO_ATTACH: '1' };

  it('church kill without --yes on a pipe runs nothing and says how to go on', async () => {
    const dataDir = tempDir('church-confirm-kill-');
    const r = await church(['kill', '--data-dir', dataDir], { env, stdin: 'KILL\n' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not confirmed: add --yes to run the plan for real, or --dry-run/);
    const audit = await church(['audit', '--json', '--data-dir', dataDir], { env });
    expect(audit.code, audit.stderr).toBe(0);
    expect((JSON.parse(audit.stdout) as AuditEntry[]).filter((e) => e.action.startsWith('killswitch'))).toEqual([]);
  }, 60_000);

  it('church restore without --yes on a pipe keeps the data dir as it was', async () => {
    const dataDir = tempDir('church-confirm-restore-');
    const before = readdirSync(dataDir);
    const r = await church(['--json', 'restore', 'snap-1', '--data-dir', dataDir], { env, stdin: 'RESTORE\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not confirmed: add --yes to restore snap-1/);
    expect(r.stderr).toMatch(/CANCELLED/);
    expect(readdirSync(dataDir)).toEqual(before);
    expect(existsSync(join(dataDir, 'kept-aside'))).toBe(false);
  }, 60_000);
});
