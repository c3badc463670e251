import { describe, expect, it } from 'vitest';
import { readAmdGpus } from '../../electron/domains/monitor/linux/amdGpu';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, makeNvidiaSmiStandin } from '../helpers/monitor';

/** An amdgpu card as the kernel lays it out (card1), an Intel iGPU without gpu_busy_percent (card0), a connector. */
function amdTree(): FixtureTree {
  const f = FixtureTree.healthy();
  const dev = 'sys/class/drm/card1/device';
  f.write(`${dev}/gpu_busy_percent`, '87\n')
    .write(`${dev}/mem_info_vram_used`, `${6 * 1024 ** 3}\n`)
    .write(`${dev}/mem_info_vram_total`, `${16 * 1024 ** 3}\n`)
    .write(`${dev}/product_name`, 'Radeon RX 7800 XT\n')
    .write(`${dev}/unique_id`, '3f1e2a09c1d2b3a4\n')
    .write(`${dev}/hwmon/hwmon5/name`, 'amdgpu\n')
    .write(`${dev}/hwmon/hwmon5/temp1_input`, '78000\n')
    .write(`${dev}/hwmon/hwmon5/power1_average`, '231000000\n')
    .write(`${dev}/hwmon/hwmon5/pwm1`, '128\n')
    .write('sys/class/drm/card0/device/vendor', '0x8086\n')
    .write('sys/class/drm/card1-DP-1/status', 'connected\n');
  return f;
}

describe('AMD GPUs from sysfs', () => {
  it('reads load, VRAM, temperature, power and fan of an amdgpu card; other cards and connectors are left out', () => {
    const f = amdTree();
    expect(readAmdGpus(f.root)).toEqual([
      { index: 1, name: 'Radeon RX 7800 XT', uuid: '3f1e2a09c1d2b3a4', tempC: 78, utilPct: 87, memUsedBytes: 6 * 1024 ** 3, memTotalBytes: 16 * 1024 ** 3, powerW: 231, fanPct: 50 },
    ]);
    // Missing files are unavailable, never 0.
    f.write('sys/class/drm/card1/device/gpu_busy_percent', 'garbage\n');
    f.remove('sys/class/drm/card1/device/hwmon');
    const [g] = readAmdGpus(f.root);
    expect(g).toMatchObject({ utilPct: null, tempC: null, powerW: null, fanPct: null, memUsedBytes: 6 * 1024 ** 3 });
    expect(readAmdGpus('/nonexistent-root')).toEqual([]);
  });

  it('the monitor shows AMD cards beside NVIDIA ones (numbered after them), with readings and the GPU rule', async () => {
    const f = amdTree();
    const smi = makeNvidiaSmiStandin([GPU_LINE_HOT]);
    const m = makeFixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: smi.bin });
    const s = await m.monitor.tick();
    expect(s.gpus.map((g) => [g.index, g.name, g.utilPct])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', 99],
      [1, 'Radeon RX 7800 XT', 87],
    ]);
    expect(s.readings.find((r) => r.id === 'gpu.util:gpu1')).toMatchObject({ value: 87, label: 'GPU 1 Radeon RX 7800 XT load' });
    expect(s.readings.find((r) => r.id === 'gpu.mem_used_pct:gpu1')?.value).toBe(37.5);
    await m.close();

    // Without nvidia-smi, an AMD-only box does not list "NVIDIA GPU" as unavailable.
    const amdOnly = makeFixtureMonitor(f.root);
    const a = await amdOnly.monitor.tick();
    expect(a.gpus.map((g) => g.index)).toEqual([0]);
    expect(a.unavailable.find((u) => u.sensor === 'NVIDIA GPU')).toBeUndefined();
    await amdOnly.close();
  });
});
