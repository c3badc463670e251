import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHURCH_BIN, church } from '../helpers/cli';
import { resolveOnPath } from '../helpers/onPath';
import { tempDir } from '../helpers/tempDir';

/** A `church` on a temp PATH that runs this build, as an installed one would. */
function churchOnPath(dir: string): string {
  writeFileSync(join(dir, 'church'), `#!/bin/sh\nexec "${process.execPath}" "${CHURCH_BIN}" "$@"\n`);
  chmodSync(join(dir, 'church'), 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

describe('church completion (sourced into a real bash)', () => {
  const bin = tempDir('church-completion-bin-');
  const dataDir = tempDir('church-completion-data-');
  const env = { ...process.env, PATH: churchOnPath(bin), CHURCH_DATA_DIR: dataDir, CHURCH_NO_ATTACH: '1' };
  let script = '';

  /** What _church offers for the words typed so far (the last one being completed). */
  function complete(...typed: string[]): string[] {
    const words = ['church', ...typed].map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
    const probe = `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _church; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('completes commands, options, verbs, config keys, preset names and snapshot ids', async () => {
    const gen = await church(['completion', 'bash'], { env });
    expect(gen.code, gen.stderr).toBe(0);
    script = gen.stdout;
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    expect(complete('tra')).toEqual(['transcode']);
    expect(complete('con')).toEqual(['config']);
    expect(complete('backup', '--r')).toEqual(['--restic']);
    expect(complete('config', 'se').sort()).toEqual(['set', 'set-secret']);
    expect(complete('config', 'set', 'backup.restic.re')).toEqual(['backup.restic.repository']);
    expect(complete('config', 'set-secret', 'monitor.smtp.p').sort()).toEqual(['monitor.smtp.password', 'monitor.smtp.port']);
    expect(complete('--data-dir', dataDir, 'stripe', 's').sort()).toEqual(['status', 'sync']);
    expect(complete('transcode', '1', '--preset', 'web').sort()).toEqual(['web', 'web-720']);
    expect((await church(['backup', '--json'], { env })).code).toBe(0);
    const snapshots = complete('restore', '');
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatch(/^\d{8}-\d{6}-\d{3}/);
  }, 180_000);

  it('zsh and fish scripts parse in their shells (where installed)', async () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const gen = await church(['completion', shell], { env });
      expect(gen.code, gen.stderr).toBe(0);
      expect(gen.stdout).toMatch(shell === 'zsh' ? /bashcompinit/ : /^complete -c church -n __fish_use_subcommand -a config /m);
      if (!resolveOnPath(shell)) {
        console.warn(`${shell} is not installed here: its completion script was generated but not parsed by ${shell}`);
        continue;
      }
      const r = spawnSync(shell, ['-n'], { input: gen.stdout, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  }, 60_000);
});

describe('NO_COLOR and a non-terminal turn the redrawn progress off', () => {
  const hasScript = resolveOnPath('script') !== null;
  if (!hasScript) console.warn('util-linux "script" is not installed: the terminal cases cannot get a pseudo-terminal here');

  /** church backup on a pseudo-terminal (util-linux script), with the given environment; what the terminal showed. */
  function onTerminal(dataDir: string, extra: Record<string, string>): string {
    const cmd = `"${process.execPath}" "${CHURCH_BIN}" backup --data-dir "${dataDir}"`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, TERM: 'xterm', CHURCH_NO_ATTACH: '1', ...extra }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  }
  // A terminal turns \n into \r\n; a redraw is a \r not followed by \n, or an escape sequence.
  const redraws = (text: string) => text.includes('\u001b[') || /\r(?!\n)/.test(text);

  it.skipIf(!hasScript)('a terminal shows the redrawn progress; NO_COLOR on the same terminal does not', () => {
    const dataDir = tempDir('church-nocolor-');
    expect(redraws(onTerminal(dataDir, {}))).toBe(true);
    const plain = onTerminal(dataDir, { NO_COLOR: '1' });
    expect(plain).toMatch(/✓ snapshot/);
    expect(redraws(plain)).toBe(false);
  }, 120_000);

  it('a pipe gets plain lines only', async () => {
    const dataDir = tempDir('church-pipe-');
    const r = await church(['backup', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(redraws(r.stdout + r.stderr)).toBe(false);
  }, 60_000);
});
