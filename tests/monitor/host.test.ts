import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import type { MonitorSample } from '../../shared/dto/monitor';
import { tempDir } from '../helpers/tempDir';
import { FixtureTree } from '../helpers/monitor';
import { quietPeriod } from '../helpers/waitFor';

describe('monitor through the host and the contract', () => {
  it('samples only in the primary process; the other one reads on demand', async () => {
    const f = FixtureTree.healthy({ pkgC: 61 });
    const dataDir = tempDir('church-monitor-host-');
    const env = { ...process.env, CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: '' };
    const primary = createHost({ dataDir, env, logError: () => undefined });
    const samples: MonitorSample[] = [];
    primary.events.subscribe((name, p) => name === 'monitor.sample' && samples.push(p as MonitorSample));
    const secondary = createHost({ dataDir, env, logError: () => undefined });
    try {
      expect(primary.monitor.getSettings().sampling).toBe(true);
      expect(secondary.monitor.getSettings().sampling).toBe(false);
      await expect.poll(() => samples.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      const r = await secondary.dispatch('monitor.current', {}, { actor: 'cli' });
      expect(r.ok && (r.value as MonitorSample).temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(61);
    } finally {
      await secondary.close();
      await primary.close();
    }
    // close() stopped the timer: no more samples arrive.
    const n = samples.length;
    await quietPeriod(1500);
    expect(samples.length).toBe(n);
  });

  it('validates input, audits changes with the password redacted, and reports the password only as set', async () => {
    const f = FixtureTree.healthy();
    const host = createHost({ dataDir: tempDir('church-monitor-contract-'), env: { CHURCH_MONITOR_ROOT: f.root }, startEngines: false, logError: () => undefined });
    try {
      const bad = await host.dispatch('monitor.setSettings', { settings: { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 10 } }, { actor: 'ui' });
      expect(bad.ok === false && bad.error.code).toBe('INVALID_INPUT');
      const good = await host.dispatch('monitor.setSettings', { settings: { ...DEFAULT_MONITOR_SETTINGS, intervalMs: 2000 } }, { actor: 'ui' });
      expect(good.ok).toBe(true);
      expect((await host.dispatch('monitor.getSettings', {}, { actor: 'ui' })).ok && host.monitor.getSettings().intervalMs).toBe(2000);
      const pw = await host.dispatch('monitor.setSmtpPassword', { password: 'hunter2' }, { actor: 'ui' });
      expect(pw.ok && pw.value).toMatchObject({ smtpPasswordSet: true });
      expect(JSON.stringify(pw)).not.toContain('hunter2');
      const audit = host.audit.recent(5);
      expect(audit.find((a) => a.action === 'monitor.setSmtpPassword')?.input).toContain('[redacted]');
      expect(audit.map((a) => a.input).join('\n')).not.toContain('hunter2');
      const test = await host.dispatch('monitor.testEmail', {}, { actor: 'ui' });
      expect(test.ok === false && test.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/e-mail alerts are off/) });
      const hist = await host.dispatch('monitor.history', { series: ['cpu.load'], rangeSec: 3600 }, { actor: 'ui' });
      expect(hist.ok).toBe(true);
    } finally {
      await host.close();
    }
  });

  it('the systeminformation sampler (Windows/macOS path) gives the same shape, unavailable where the OS has nothing', async () => {
    const host = createHost({ dataDir: tempDir('church-monitor-si-'), env: { CHURCH_MONITOR_SAMPLER: 'systeminformation', PATH: process.env.PATH }, startEngines: false, logError: () => undefined });
    try {
      const s = await host.monitor.current();
      expect(s.source).toBe('systeminformation');
      expect(s.memory.totalBytes).toBeGreaterThan(0);
      expect(s.cpu.totalPct).not.toBeNull();
      // The CPU package reading is what systeminformation itself reports for this machine: its figure, or none
      // with the reason saying so (a machine without sensors, as here).
      const main = (await si.cpuTemperature()).main;
      const cpuTemp = s.temps.find((t) => t.kind === 'cpu-package');
      if (typeof main === 'number' && Number.isFinite(main) && main > -1) expect(cpuTemp).toMatchObject({ label: 'CPU package', celsius: Math.round(main * 10) / 10 });
      else expect(cpuTemp).toMatchObject({ label: 'CPU package', celsius: null, reason: expect.stringMatching(/^the OS reports no CPU temperature/) });
      expect(s.readings.find((r) => r.id === 'mem.used_pct')?.value).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });
});
