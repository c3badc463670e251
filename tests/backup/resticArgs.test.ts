import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResticRepository } from '../../electron/domains/backup';
import { buildBackupArgs, buildForgetArgs, classifyResticError, resticEnv } from '../../electron/domains/backup/resticArgs';
import { tempDir } from '../helpers/tempDir';

describe('restic arguments and environment', () => {
  it('retention groups by host (each snapshot has its own tag and path) and is skipped without a policy', () => {
    expect(buildForgetArgs({ keepDaily: 7, keepWeekly: 4, keepMonthly: 0 })).toEqual(['forget', '--json', '--prune', '--tag', 'church-studio', '--group-by', 'host', '--keep-daily', '7', '--keep-weekly', '4']);
    expect(buildForgetArgs({ keepDaily: 0, keepWeekly: 0, keepMonthly: 0 })).toBeNull();
    expect(buildBackupArgs('20260101-000000-000')).toEqual(['backup', '--json', '--tag', 'church-studio', '--tag', 'local:20260101-000000-000', '.']);
  });

  it('restic gets its repository and password and nothing of the studio\'s own secrets', () => {
    const env = resticEnv({ PATH: '/usr/bin', HOME: '/home/x', STRIPE_API_KEY: 'rk_live_x', CHURCH_SMTP_PASSWORD: 's', STRIPE_WEBHOOK_SECRET: 'w', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'k', RESTIC_REST_PASSWORD: 'r', SSH_AUTH_SOCK: '/tmp/s' }, '/repo', 'pw');
    expect(env).toEqual({
      env: { PATH: '/usr/bin', HOME: '/home/x', SSH_AUTH_SOCK: '/tmp/s', RESTIC_REPOSITORY: '/repo' },
      // The credentials restic reads from its environment go to restic alone (runProcess's secretEnv).
      secretEnv: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'k', RESTIC_REST_PASSWORD: 'r', RESTIC_PASSWORD: 'pw' },
    });
  });

  it('a child started as restic sees the password only in its environment, never in its arguments', async () => {
    const dir = tempDir('church-restic-env-');
    const out = join(dir, 'seen.txt');
    const fake = join(dir, 'restic');
    // A stand-in that records what it was given, then answers like `restic snapshots --json` on an empty repository.
    writeFileSync(fake, `#!/bin/sh\n{ echo "ARGS $*"; env; } > '${out}'\necho '[]'\n`);
    chmodSync(fake, 0o755);
    const repo = new ResticRepository({ repository: '/somewhere', password: 'hunter2-secret', env: { ...process.env, RESTIC_PATH: fake, STRIPE_API_KEY: 'rk_live_leak' } });
    expect(await repo.snapshots()).toEqual([]);
    const seen = readFileSync(out, 'utf8');
    expect(seen).toMatch(/^ARGS snapshots --json --tag church-studio$/m);
    expect(seen.split('\n').find((l) => l.startsWith('ARGS'))).not.toContain('hunter2');
    expect(seen).toMatch(/^RESTIC_PASSWORD=hunter2-secret$/m);
    expect(seen).not.toContain('rk_live_leak');
  });

  it('restic\'s messages map to what the owner should do', () => {
    expect(classifyResticError('Fatal: wrong password or no key found\n')).toBe('wrong-password');
    expect(classifyResticError('Fatal: unable to open config file: stat /x/config: no such file or directory\nIs there a repository at the following location?\n/x')).toBe('no-repository');
    expect(classifyResticError('unable to create lock in backend: repository is already locked by PID 1')).toBe('locked');
  });
});
