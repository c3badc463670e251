import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi, toReadings } from '../../electron/domains/monitor';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, GPU_LINE_IDLE, makeNvidiaSmiStandin } from '../helpers/monitor';

describe('NVIDIA GPUs through nvidia-smi', () => {
  it('parses the csv,noheader,nounits answer; [N/A] and [Not Supported] are unavailable, never 0', () => {
    const gpus = parseNvidiaSmi(`${GPU_LINE_HOT}\n${GPU_LINE_IDLE}\nnonsense line\n`);
    expect(gpus).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 4090', uuid: 'GPU-1111-2222', tempC: 92, utilPct: 99, memUsedBytes: 20000 * 1048576, memTotalBytes: 24564 * 1048576, powerW: 420.5, fanPct: 85 },
      { index: 1, name: 'NVIDIA RTX A4000', uuid: 'GPU-3333-4444', tempC: 41, utilPct: 3, memUsedBytes: 512 * 1048576, memTotalBytes: 16376 * 1048576, powerW: null, fanPct: null },
    ]);
  });

  it('one nvidia-smi call per sample covers every GPU; the GPU temperature rule sees them', async () => {
    const f = FixtureTree.healthy();
    const smi = makeNvidiaSmiStandin([GPU_LINE_HOT, GPU_LINE_IDLE]);
    let t = 1_700_000_000_000;
    const m = makeFixtureMonitor(f.root, { now: () => t }, { CHURCH_NVIDIA_SMI: smi.bin });
    for (let i = 0; i < 3; i++) {
      const s = await m.monitor.tick();
      expect(s.gpus.map((g) => g.tempC)).toEqual([92, 41]);
      t += 1000;
    }
    expect(smi.calls()).toBe(3);
    const readings = toReadings(await m.monitor.tick());
    expect(readings.find((r) => r.id === 'gpu.power:gpu1')).toMatchObject({ value: null, reason: 'the GPU driver gave no power draw' });
    await m.monitor.idle();
    // Default rule gpu-temp (warn 80, critical 90, for 10 s) has not held long enough yet; 12 more seconds do it.
    expect(m.alerts).toEqual([]);
    for (let i = 0; i < 12; i++) {
      await m.monitor.tick();
      t += 1000;
    }
    await m.monitor.idle();
    expect(m.alerts.map((a) => a.title)).toEqual(['CRITICAL: GPU 0 NVIDIA GeForce RTX 4090 temperature at 92.0 °C']);
    await m.close();
  });

  it('no nvidia-smi, or a failing one: no GPUs, the reason in "unavailable", and a failing one is not re-run every second', async () => {
    const f = FixtureTree.healthy();
    const none = makeFixtureMonitor(f.root);
    const s = await none.monitor.tick();
    expect(s.gpus).toEqual([]);
    expect(s.unavailable).toContainEqual({ sensor: 'NVIDIA GPU', reason: expect.stringMatching(/nvidia-smi not found/) });
    await none.close();

    const smi = makeNvidiaSmiStandin([]);
    smi.setCsv(['NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.']);
    let t = 1_700_000_000_000;
    const broken = makeFixtureMonitor(f.root, { now: () => t }, { CHURCH_NVIDIA_SMI: smi.bin });
    const first = await broken.monitor.tick();
    expect(first.unavailable.find((u) => u.sensor === 'NVIDIA GPU')?.reason).toBe('nvidia-smi listed no GPUs');
    t += 1000;
    await broken.monitor.tick();
    expect(smi.calls()).toBe(1);
    t += 61_000;
    await broken.monitor.tick();
    expect(smi.calls()).toBe(2);
    await broken.close();
  });
});
