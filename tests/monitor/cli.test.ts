import { describe, expect, it } from 'vitest';
import type { MonitorSample } from '../../shared/dto/monitor';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { FixtureTree, GPU_LINE_HOT, makeNvidiaSmiStandin } from '../helpers/monitor';

describe('church monitor (child process)', () => {
  const dataDir = tempDir('church-monitor-cli-');
  const f = FixtureTree.healthy({ pkgC: 88 });
  const smi = makeNvidiaSmiStandin([GPU_LINE_HOT]);
  const env = { CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: smi.bin, CHURCH_NO_ATTACH: '1' };

  it('--once --json prints one sample: temperatures, GPU, memory, disks, and unavailable sensors with reasons', async () => {
    const r = await church(['monitor', '--once', '--json', '--data-dir', dataDir], { env });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as MonitorSample;
    expect(s.source).toBe('linux-procfs');
    expect(s.temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(88);
    expect(s.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', tempC: 92, powerW: 420.5 });
    expect(s.memory.usedPct).toBe(25);
    expect(s.readings.find((x) => x.id === 'load.1')?.value).toBe(0.52);
    // The fixture's counters do not move between the two readings: no load figure rather than a made-up 0.
    expect(s.cpu.totalPct).toBeNull();
    expect(s.unavailable.map((u) => u.sensor)).toContain('cpu load');
  });

  it('the human view lists sections and says why a sensor is unavailable', async () => {
    const r = await church(['monitor', '--once', '--data-dir', dataDir], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Temperatures$/m);
    expect(r.stdout).toMatch(/Package id 0\s+88\.0 °C/);
    expect(r.stdout).toMatch(/GPU 0 NVIDIA GeForce RTX 4090 temperature\s+92\.0 °C/);
    expect(r.stdout).toMatch(/CPU load\s+n\/a {2}\(/);
  });

  it('streams one JSON line per sample (--count ends it)', async () => {
    const r = await church(['monitor', '--json', '--interval', '250', '--count', '3', '--data-dir', dataDir], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as MonitorSample);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.at).toBeGreaterThan(lines[0]!.at);
  });

  it('bad flags are one-line usage errors (exit 2)', async () => {
    const r = await church(['monitor', '--interval', '5', '--json', '--data-dir', dataDir], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'INVALID_INPUT', message: '--interval takes milliseconds between 250 and 60000' } });
  });
});
