import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHURCH_BIN } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const UNITS_DIR = join(import.meta.dirname, '..', '..', 'resources', 'systemd');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const UNITS = ['church-serve.service', 'church-agent@.service'];

function unitText(name: string): string {
  return readFileSync(join(UNITS_DIR, name), 'utf8');
}

/** The unit's `Key=value` lines of one section (comments and blank lines left out). */
function settings(text: string, section: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = head[1]!;
    else if (current === section) {
      const i = line.indexOf('=');
      const key = line.slice(0, i);
      out.set(key, [...(out.get(key) ?? []), line.slice(i + 1)]);
    }
  }
  return out;
}

/**
 * `systemd-analyze verify` needs the unit's ExecStart to be an existing executable, and a user manager needs a
 * runtime dir: the units are written to a temp dir with ExecStart on this checkout's bin/church.js.
 * Why verify could not run here, or null when it can.
 */
function whyVerifyCannotRun(): string | null {
  if (process.platform !== 'linux') return `systemd is Linux only (this is ${process.platform})`;
  if (!existsSync(SYSTEMD_ANALYZE)) return `${SYSTEMD_ANALYZE} is not installed (apt-get install systemd)`;
  return null;
}

function verify(dir: string, unit: string): { status: number | null; output: string } {
  const runtime = join(dir, 'runtime');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const r = spawnSync(SYSTEMD_ANALYZE, ['--user', 'verify', join(dir, unit)], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_COLOR: '0' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe('systemd user units (resources/systemd)', () => {
  const dir = tempDir('units-');
  it.each(UNITS)('%s: restarts on failure, stops ffmpeg children, and is hardened as a user unit can be', (name) => {
    const s = settings(unitText(name), 'Service');
    expect(s.get('Restart')).toEqual(['on-failure']);
    // mixed: SIGTERM to church alone (it closes in order), then SIGKILL to what is left in the cgroup (ffmpeg).
    expect(s.get('KillMode')).toEqual(['mixed']);
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'read-only'],
      ['PrivateTmp', 'yes'],
      ['PrivateUsers', 'yes'],
      ['LockPersonality', 'yes'],
      ['RestrictAddressFamilies', 'AF_UNIX AF_INET AF_INET6 AF_NETLINK'],
    ]) {
      expect(s.get(key!), `${name}: ${key}`).toEqual([value]);
    }
    // Node's JIT needs writable-then-executable pages: the option is absent on purpose, and the unit says why.
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
    expect(unitText(name)).toMatch(/Not set: MemoryDenyWriteExecute=yes.*\n?.*JIT/);
    // Options a user manager refuses would only be ignored with a warning: none of them is set.
    for (const systemOnly of ['ProtectControlGroups', 'ProtectProc', 'RemoveIPC', 'User', 'Group']) expect(s.has(systemOnly), systemOnly).toBe(false);
    expect(settings(unitText(name), 'Install').get('WantedBy')).toEqual(['default.target']);
  });

  it('church serve keeps its page token out of the journal and its data dir writable', () => {
    const s = settings(unitText('church-serve.service'), 'Service');
    expect(s.get('ExecStart')?.[0]).toMatch(/^\/usr\/bin\/church serve .*--log-level info/);
    expect(s.get('StandardOutput')).toEqual(['truncate:%t/church-serve.url']);
    expect(s.get('UMask')).toEqual(['0077']);
    expect(s.get('ReadWritePaths')?.[0]).toContain('"%h/.config/BambiSleep Church Studio"');
  });

  const why = whyVerifyCannotRun();
  if (why) console.warn(`systemd-analyze verify skipped: ${why}`);
  it.skipIf(why !== null)('systemd-analyze --user verify accepts both units with the real church executable, without a warning', () => {
    for (const name of UNITS) writeFileSync(join(dir, name), unitText(name).replaceAll('/usr/bin/church ', `${CHURCH_BIN} `));
    for (const unit of ['church-serve.service', 'church-agent@lab1.service']) {
      const r = verify(dir, unit);
      expect(r.output, unit).toBe('');
      expect(r.status, `${unit}: ${r.output}`).toBe(0);
    }
  });

  it.skipIf(why !== null)('the check is real: verify refuses a unit whose ExecStart does not exist and names an unknown option', () => {
    const missing = join(dir, 'no-such-church');
    const bad = unitText('church-serve.service').replaceAll('/usr/bin/church ', `${missing} `).replace('LockPersonality=yes', 'LockPersonality=yes\nLockPersonalty=yes');
    writeFileSync(join(dir, 'church-bad.service'), bad);
    const r = verify(dir, 'church-bad.service');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(`${missing} is not executable`);
    expect(r.output).toContain("Unknown key 'LockPersonalty'");
  });
});
