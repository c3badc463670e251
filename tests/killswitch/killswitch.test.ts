import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KillPlan, KillRun } from '../../shared/dto/killswitch';
import { killPlanSchema } from '../../shared/contract/killswitch';
import { createHost } from '../../electron/host/createHost';
import { KillSwitch } from '../../electron/domains/killswitch';
import { planStep } from '../../electron/domains/killswitch';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { makeStandins } from '../helpers/killSwitchStandins';

const plan = (steps: unknown[]): KillPlan => killPlanSchema.parse({ version: 1, steps }) as KillPlan;

const FULL = plan([
  { kind: 'stop-jobs', timeoutMs: 2000 },
  { kind: 'docker-stop', timeoutMs: 4000 },
  { kind: 'network-down', interfaces: ['lab0', 'lab1'], timeoutMs: 2000 },
  { kind: 'lock-volumes', volumes: [{ method: 'cryptsetup', name: 'vault' }, { method: 'udisksctl', device: '/dev/sdz1' }], timeoutMs: 2000 },
  { kind: 'alert', message: 'lab on fire', timeoutMs: 2000 },
  { kind: 'command', argv: ['nmcli', 'radio', 'wifi', 'off'], label: 'Wi-Fi off', timeoutMs: 2000 },
  { kind: 'power-off', timeoutMs: 2000 },
]);

function setup(modes: Parameters<ReturnType<typeof makeStandins>['env']>[0] = {}, opts: { names?: string[]; dockerIds?: string } = {}) {
  const standins = makeStandins(opts.names);
  const host = createHost({ dataDir: tempDir('church-kill-'), logError: () => undefined });
  const updates: KillRun[] = [];
  const alerts: string[] = [];
  let jobsStopped = 0;
  const ks = new KillSwitch({
    db: host.db,
    audit: host.audit,
    dataDir: host.dataDir,
    env: standins.env(modes, { STANDIN_DOCKER_IDS: opts.dockerIds ?? 'abc123def456 0123456789ab' }),
    platform: 'linux',
    stopJobs: async () => {
      jobsStopped++;
      return { stopped: 2 };
    },
    sendAlert: async (m) => {
      alerts.push(m);
      return 'sent to test';
    },
    onUpdate: (r) => updates.push(r),
  });
  return { standins, host, ks, updates, alerts, jobsStopped: () => jobsStopped };
}

describe('kill switch plan commands', () => {
  it('builds exact argument arrays per platform', () => {
    const net = FULL.steps[2]!;
    expect(planStep(net, 2, 'linux').commands.map((c) => c.argv)).toEqual([
      ['ip', 'link', 'set', 'dev', 'lab0', 'down'],
      ['ip', 'link', 'set', 'dev', 'lab1', 'down'],
    ]);
    expect(planStep({ ...net, method: 'nmcli' } as typeof net, 2, 'linux').commands[0]!.argv).toEqual(['nmcli', 'device', 'disconnect', 'lab0']);
    expect(planStep(net, 2, 'win32').commands[0]!.argv).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', "Disable-NetAdapter -Name 'lab0' -Confirm:$false"]);
    expect(planStep(net, 2, 'darwin').commands[0]!.argv).toEqual(['ifconfig', 'lab0', 'down']);
    const off = FULL.steps[6]!;
    expect(planStep(off, 6, 'linux').commands[0]!.argv).toEqual(['systemctl', 'poweroff']);
    expect(planStep(off, 6, 'win32').commands[0]!.argv.at(-1)).toBe('Stop-Computer -Force');
    expect(planStep(off, 6, 'darwin').commands[0]!.argv).toEqual(['shutdown', '-h', 'now']);
    expect(planStep(FULL.steps[3]!, 3, 'linux').commands.map((c) => c.argv)).toEqual([
      ['cryptsetup', 'close', 'vault'],
      ['udisksctl', 'lock', '--block-device', '/dev/sdz1', '--no-user-interaction'],
    ]);
  });

  it('refuses names that could break out of a command', () => {
    for (const bad of ["eth0'; Stop-Computer", 'eth0`id`', 'eth0$(reboot)', 'a\nb', '']) {
      expect(killPlanSchema.safeParse({ version: 1, steps: [{ kind: 'network-down', interfaces: [bad] }] }).success, bad).toBe(false);
    }
  });
});

describe('kill switch runs with stand-in tools', () => {
  it('dry run reports every exact command and executes nothing', async () => {
    const { ks, standins, alerts, jobsStopped, host } = setup();
    const run = await ks.trigger({ dryRun: true, trigger: 'cli', planFromOwner: true, plan: FULL });
    expect(standins.calls()).toEqual([]);
    expect(alerts).toEqual([]);
    expect(jobsStopped()).toBe(0);
    expect(run.steps.every((s) => s.status === 'dry-run')).toBe(true);
    expect(run.steps.flatMap((s) => s.commands.map((c) => c.argv[0]))).toEqual(['docker', 'docker', 'ip', 'ip', 'cryptsetup', 'udisksctl', 'nmcli', 'systemctl']);
    expect(run.steps[6]!.commands[0]!.argv).toEqual(['systemctl', 'poweroff']);
    await host.close();
  });

  it('runs every step in order and writes the report to the audit log before powering off', async () => {
    const { ks, standins, alerts, jobsStopped, host, updates } = setup();
    const run = await ks.trigger({ dryRun: false, trigger: 'ui', planFromOwner: true, plan: FULL, reason: 'test' });
    expect(run.status).toBe('completed');
    expect(standins.calls()).toEqual([
      ['docker', 'ps', '-q'],
      ['docker', 'stop', '--time', '2', 'abc123def456', '0123456789ab'],
      ['ip', 'link', 'set', 'dev', 'lab0', 'down'],
      ['ip', 'link', 'set', 'dev', 'lab1', 'down'],
      ['cryptsetup', 'close', 'vault'],
      ['udisksctl', 'lock', '--block-device', '/dev/sdz1', '--no-user-interaction'],
      ['nmcli', 'radio', 'wifi', 'off'],
      ['systemctl', 'poweroff'],
    ]);
    expect(jobsStopped()).toBe(1);
    expect(alerts).toEqual(['lab on fire']);
    expect(run.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(run.steps[1]!.note).toBe('2 container(s) stopped');
    // The report reached the audit log while power-off was still pending, then again at the end.
    const audit = host.audit.recent(10).reverse();
    const before = audit.find((a) => a.action === 'killswitch.report (before power-off)')!;
    expect(before).toBeDefined();
    const beforeSteps = (JSON.parse(before.input) as { steps: { label: string; status: string }[] }).steps;
    expect(beforeSteps.at(-1)).toMatchObject({ label: 'Power off', status: 'pending' });
    expect(beforeSteps.at(-2)).toMatchObject({ status: 'ok' });
    expect(audit.at(-1)!.action).toBe('killswitch.report');
    expect(updates.some((u) => u.steps.some((s) => s.status === 'running'))).toBe(true);
    expect(ks.lastRun()).toMatchObject({ id: run.id, status: 'completed', acknowledged: false });
    await host.close();
  });

  it('goes on past a failing step and a hung step, each bounded by its timeout', async () => {
    const { ks, standins, host } = setup({ ip: 'fail', cryptsetup: 'hang' });
    const hungPlan = plan([
      { kind: 'network-down', interfaces: ['lab0'], timeoutMs: 2000 },
      { kind: 'lock-volumes', volumes: [{ method: 'cryptsetup', name: 'vault' }, { method: 'udisksctl', device: '/dev/sdz1' }], timeoutMs: 500 },
      { kind: 'power-off', timeoutMs: 2000 },
    ]);
    const started = performance.now();
    const run = await ks.trigger({ dryRun: false, trigger: 'cli', planFromOwner: true, plan: hungPlan });
    const elapsed = performance.now() - started;
    expect(run.status).toBe('completed-with-failures');
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'timeout', 'ok']);
    expect(run.steps[0]!.ran[0]).toMatchObject({ exitCode: 3, outputTail: expect.stringContaining('simulated failure') });
    // The hung cryptsetup used the whole budget; udisksctl was never started; power-off still ran.
    expect(run.steps[1]!.ran[1]).toMatchObject({ argv: ['udisksctl', 'lock', '--block-device', '/dev/sdz1', '--no-user-interaction'], error: 'not started: step timeout reached' });
    expect(standins.calls().map((c) => c[0])).toEqual(['ip', 'cryptsetup', 'systemctl']);
    // Bounded: nowhere near the stand-in's 60 s hang.
    expect(elapsed).toBeLessThan(20_000);
    await host.close();
  });

  it('a failing step marked as a gate skips the rest', async () => {
    const { ks, standins, host } = setup({ ip: 'fail' });
    const run = await ks.trigger({
      dryRun: false,
      trigger: 'cli',
      plan: plan([{ kind: 'network-down', interfaces: ['lab0'], continueOnFailure: false }, { kind: 'power-off' }]),
    });
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    expect(run.steps[1]!.note).toContain('Bring the lab network interfaces down');
    expect(standins.calls().map((c) => c[0])).toEqual(['ip']);
    await host.close();
  });

  it('skips Docker with a note when it is not installed, and disabled steps', async () => {
    const { ks, standins, host } = setup({}, { names: ['systemctl'] });
    const run = await ks.trigger({ dryRun: false, trigger: 'cli', planFromOwner: true, plan: plan([{ kind: 'docker-stop' }, { kind: 'power-off', enabled: false }, { kind: 'network-down' }]) });
    expect(run.steps.map((s) => [s.status, s.note])).toEqual([
      ['skipped', 'Docker is not installed on this machine'],
      ['skipped', 'disabled in the plan'],
      ['skipped', 'no interfaces are named in the plan'],
    ]);
    expect(standins.calls()).toEqual([]);
    await host.close();
  });

  it('a second trigger during a run joins it instead of starting another', async () => {
    const { ks, standins, host } = setup({}, { dockerIds: '' });
    const p = plan([{ kind: 'docker-stop' }, { kind: 'command', argv: ['systemctl', 'is-system-running'] }]);
    const [a, b] = await Promise.all([ks.trigger({ dryRun: false, trigger: 'ui', planFromOwner: true, plan: p }), ks.trigger({ dryRun: false, trigger: 'shortcut', planFromOwner: true, plan: p })]);
    expect(a.id).toBe(b.id);
    expect(standins.calls()).toEqual([['docker', 'ps', '-q'], ['systemctl', 'is-system-running']]);
    expect(a.steps[0]!.note).toBe('no containers were running');
    await host.close();
  });

  it('keeps the plan in an editable JSON file and refuses a broken one with a clear message', async () => {
    const { ks, host } = setup();
    expect(ks.planInfo().source).toBe('default');
    expect(ks.planInfo().plan.steps.map((s) => s.kind)).toEqual(['stop-jobs', 'docker-stop', 'network-down', 'lock-volumes', 'alert', 'power-off']);
    ks.setPlan(FULL);
    expect(ks.planInfo()).toMatchObject({ source: 'settings', plan: FULL });
    writeFileSync(ks.planFile, '{ "version": 1, "steps": [ { "kind": "reboot" } ] }');
    expect(() => ks.planInfo()).toThrow(/not a valid kill-switch plan: steps\.0\.kind/);
    await expect(ks.trigger({ dryRun: true, trigger: 'ui' })).rejects.toThrow(/not a valid kill-switch plan/);
    // A real emergency is not refused for a typo in the plan file: the platform default runs, and the report says so.
    const real = await ks.trigger({ dryRun: false, trigger: 'ui' });
    expect(real.warning).toMatch(/not a valid kill-switch plan: steps\.0\.kind.*the linux default plan ran instead/);
    expect(real.steps.map((s) => s.kind)).toEqual(['stop-jobs', 'docker-stop', 'network-down', 'lock-volumes', 'alert', 'power-off']);
    expect(ks.lastRun()!.warning).toBe(real.warning);
    writeFileSync(ks.planFile, '{ nope');
    expect(() => ks.loadPlan()).toThrow(/not valid JSON/);
    ks.setPlan(null);
    expect(ks.planInfo().source).toBe('default');
    await host.close();
  });

  it('still runs when the disk is full, and says the run could not be recorded', async () => {
    const { ks, host, standins } = setup();
    // SQLite answers SQLITE_FULL once the file may not grow: exactly what a full disk looks like to it.
    const pages = host.db.pragma('page_count', { simple: true }) as number;
    host.db.pragma(`max_page_count = ${pages}`);
    const run = await ks.trigger({ dryRun: false, trigger: 'ui', reason: 'x'.repeat(64 * 1024), plan: plan([{ kind: 'network-down', interfaces: ['lab0'] }]) });
    expect(run.status).toBe('completed');
    expect(run.id).toBeLessThan(0);
    expect(run.warning).toMatch(/could not be recorded .*full/i);
    expect(standins.calls()).toEqual([['ip', 'link', 'set', 'dev', 'lab0', 'down']]);
    await host.close();
  });

  it('marks a run cut off by a crash as ended, so it is shown as a report at the next start', async () => {
    const dataDir = tempDir('church-kill-crash-');
    const first = createHost({ dataDir, logError: () => undefined });
    first.db.prepare("INSERT INTO kill_runs (trigger, dry_run, platform, started_at, status, steps) VALUES ('ui', 0, 'linux', '2026-01-01T00:00:00Z', 'running', '[]')").run();
    await first.close();
    const second = createHost({ dataDir, logError: () => undefined });
    expect(second.killSwitch.lastRun()).toMatchObject({ status: 'completed-with-failures', acknowledged: false });
    const id = second.killSwitch.lastRun()!.id;
    expect(await second.dispatch('killswitch.acknowledge', { id }, { actor: 'ui' })).toEqual({ ok: true, value: null });
    expect(second.killSwitch.lastRun()!.acknowledged).toBe(true);
    await second.close();
  });
});

describe('church kill', () => {
  it('--dry-run --json prints the steps and the exact commands, and runs nothing', async () => {
    const standins = makeStandins();
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(FULL));
    const r = await church(['kill', '--dry-run', '--json', '--plan', planFile, '--data-dir', tempDir()], { env: standins.env() });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as KillRun;
    expect(run.dryRun).toBe(true);
    expect(run.steps.map((s) => s.commands.map((c) => c.argv))).toEqual(FULL.steps.map((s, i) => planStep(s, i, 'linux').commands.map((c) => c.argv)));
    expect(standins.calls()).toEqual([]);
  });

  it('refuses to run for real without --yes when nobody can confirm', async () => {
    const standins = makeStandins();
    const r = await church(['kill', '--data-dir', tempDir()], { env: standins.env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--yes');
    expect(standins.calls()).toEqual([]);
  });

  it('--yes runs the plan with real processes and exits non-zero when a step failed', async () => {
    const standins = makeStandins();
    const planFile = join(tempDir(), 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan([{ kind: 'network-down', interfaces: ['lab0'] }, { kind: 'power-off' }])));
    const ok = await church(['kill', '--yes', '--json', '--plan', planFile, '--data-dir', tempDir()], { env: standins.env() });
    expect(ok.code, ok.stderr).toBe(0);
    expect(standins.calls()).toEqual([['ip', 'link', 'set', 'dev', 'lab0', 'down'], ['systemctl', 'poweroff']]);
    const bad = await church(['kill', '--yes', '--plan', planFile, '--data-dir', tempDir()], { env: standins.env({ systemctl: 'fail' }) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ 2. Power off');
  });
});
