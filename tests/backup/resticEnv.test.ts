import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordFromEnv, repositoryFromEnv, splitCommandLine } from '../../electron/domains/backup';
import { resolveOnPath } from '../helpers/onPath';
import { church, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'env-only horse battery staple';
const restic = resolveOnPath('restic');
if (!restic) console.warn('restic is not installed (apt-get install restic); the restic environment tests cannot run here');

/** No restic variable of the machine running the tests leaks into a child: each test names its own. */
const CLEAN: NodeJS.ProcessEnv = { RESTIC_REPOSITORY: '', RESTIC_REPOSITORY_FILE: '', RESTIC_PASSWORD: '', RESTIC_PASSWORD_FILE: '', RESTIC_PASSWORD_COMMAND: '', CHURCH_NO_ATTACH: '1' };

describe("restic's own variables, read as restic reads them", () => {
  it('the repository from RESTIC_REPOSITORY or the first line of RESTIC_REPOSITORY_FILE, never both', () => {
    const dir = tempDir('church-restic-vars-');
    const file = join(dir, 'repo');
    writeFileSync(file, '/srv/restic/studio\n');
    expect(repositoryFromEnv({ RESTIC_REPOSITORY: '/a' })).toBe('/a');
    expect(repositoryFromEnv({ RESTIC_REPOSITORY_FILE: file })).toBe('/srv/restic/studio');
    expect(repositoryFromEnv({ RESTIC_REPOSITORY: '' })).toBeNull();
    expect(() => repositoryFromEnv({ RESTIC_REPOSITORY: '/a', RESTIC_REPOSITORY_FILE: file })).toThrow(/both set; restic refuses that too/);
  });

  it('the password from the command, else the file, else RESTIC_PASSWORD; file and command together refused', () => {
    expect(passwordFromEnv({ RESTIC_PASSWORD_COMMAND: 'pass show restic' }, 'x')).toEqual({ command: 'pass show restic' });
    expect(passwordFromEnv({ RESTIC_PASSWORD_FILE: '/etc/restic-pw' }, 'x')).toEqual({ file: '/etc/restic-pw' });
    expect(passwordFromEnv({}, 'x')).toEqual({ value: 'x' });
    expect(passwordFromEnv({}, null)).toBeNull();
    expect(() => passwordFromEnv({ RESTIC_PASSWORD_FILE: '/a', RESTIC_PASSWORD_COMMAND: 'b' }, null)).toThrow(/both set/);
    expect(splitCommandLine(`pass show "restic/my repo" --x='a b' c\\ d`)).toEqual(['pass', 'show', 'restic/my repo', '--x=a b', 'c d']);
  });
});

describe.skipIf(!restic)('church backup, backups and restore with restic variables only (a real repository)', () => {
  it('church backup --restic with no repository anywhere exits 1 saying what to set, and writes nothing', async () => {
    const dataDir = tempDir('church-restic-none-');
    const r = await church(['backup', '--restic', '--data-dir', dataDir], { env: CLEAN });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no restic repository is set: set RESTIC_REPOSITORY \(or RESTIC_REPOSITORY_FILE\) and RESTIC_PASSWORD/);
    expect(existsSync(join(dataDir, 'backups')) ? readdirSync(join(dataDir, 'backups')) : []).toEqual([]);
  }, 60_000);

  it('RESTIC_REPOSITORY with RESTIC_PASSWORD_FILE backs up; backups and restore see the same repository through _FILE and _COMMAND', async () => {
    const root = tempDir('church-restic-env-');
    const dataDir = join(root, 'studio');
    const repo = join(root, 'repo');
    const pwFile = join(root, 'password');
    writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    const repoFile = join(root, 'repository');
    writeFileSync(repoFile, `${repo}\n`);

    const backup = await church(['backup', '--restic', '--json', '--data-dir', dataDir], { env: { ...CLEAN, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: pwFile } });
    expect(backup.code, backup.stderr).toBe(0);
    const result = JSON.parse(backup.stdout) as { restic: { snapshotId: string } | null; error: string | null };
    expect(result.error).toBeNull();
    expect(result.restic?.snapshotId).toMatch(/^[0-9a-f]{8}/);
    const shortId = result.restic!.snapshotId.slice(0, 8);

    // Another way of naming the same repository and password, as restic would take them.
    const byFileAndCommand = { ...CLEAN, RESTIC_REPOSITORY_FILE: repoFile, RESTIC_PASSWORD_COMMAND: `cat ${pwFile}` };
    const listed = await church(['backups', '--json', '--data-dir', dataDir], { env: byFileAndCommand });
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as { restic: { shortId: string }[]; resticProblem: string | null };
    expect(list.resticProblem).toBeNull();
    expect(list.restic.map((s) => s.shortId)).toContain(shortId);

    rmSync(join(dataDir, 'backups'), { recursive: true, force: true });
    const restored = await church(['restore', shortId, '--yes', '--json', '--data-dir', dataDir], { env: byFileAndCommand });
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ restoredId: expect.any(String) });
  }, 180_000);

  it('a CLI attached to church serve passes its restic password for that one run, never stored or logged; a stored one is said to be used', async () => {
    const root = tempDir('church-restic-attached-');
    const dataDir = join(root, 'studio');
    const repo = join(root, 'repo');
    const serve = await startServe(dataDir, { RESTIC_REPOSITORY: '', RESTIC_PASSWORD: '', RESTIC_PASSWORD_FILE: '', RESTIC_PASSWORD_COMMAND: '', RESTIC_REPOSITORY_FILE: '' });
    const attached = { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: PASSWORD, RESTIC_PASSWORD_FILE: '', RESTIC_PASSWORD_COMMAND: '', RESTIC_REPOSITORY_FILE: '' };
    try {
      const backup = await church(['backup', '--restic', '--json', '--data-dir', dataDir], { env: attached });
      expect(backup.code, backup.stderr).toBe(0);
      expect((JSON.parse(backup.stdout) as { restic: { snapshotId: string } | null }).restic?.snapshotId).toBeTruthy();
      const listed = JSON.parse((await church(['backups', '--json', '--data-dir', dataDir], { env: attached })).stdout) as { restic: unknown[] };
      expect(listed.restic).toHaveLength(1);
      // Not kept: without the CLI's variables the studio has no repository and no password.
      const settings = JSON.parse((await church(['config', 'list', '--json', '--data-dir', dataDir], { env: { RESTIC_REPOSITORY: '', RESTIC_PASSWORD: '' } })).stdout) as { settings: Record<string, unknown>; secrets: Record<string, string> };
      expect(settings.settings['backup.restic.repository']).toBeNull();
      expect(settings.secrets['backup.restic.password']).toBe('unset');
      const audit = await church(['audit', '--json', '--limit', '200', '--data-dir', dataDir]);
      expect(audit.stdout).toMatch(/backup.run/);
      expect(audit.stdout).not.toContain(PASSWORD);
      expect(serve.stderr()).not.toContain(PASSWORD);

      // The studio's own repository and password, then a CLI with another password: the stored one is used, and said so.
      expect((await church(['config', 'set', 'backup.restic.repository', repo, '--data-dir', dataDir])).code).toBe(0);
      expect((await church(['config', 'set-secret', 'backup.restic.password', '--data-dir', dataDir], { stdin: `${PASSWORD}\n` })).code).toBe(0);
      const withStored = await church(['backup', '--restic', '--json', '--data-dir', dataDir], { env: { ...attached, RESTIC_PASSWORD: 'not the one' } });
      expect(withStored.code, withStored.stderr).toBe(0);
      expect(withStored.stderr).toMatch(/the running studio uses the restic password stored in it for .*repo; your RESTIC_PASSWORD is not used/);
    } finally {
      await serve.stop();
    }
  }, 240_000);
});
