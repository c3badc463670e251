import { afterEach, describe, expect, it } from 'vitest';
import { NvidiaStream } from '../../electron/domains/monitor/nvidiaStream';
import { FixtureTree, fixtureMonitor, GPU_LINE_HOT, GPU_LINE_IDLE, makeNvidiaSmiStreamStandin, waitUntil } from './fixture';

const alive = (pid: number | null) => {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the streaming GPU reader (one nvidia-smi -lms process)', () => {
  const streams: NvidiaStream[] = [];
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.stop()));
  });
  const open = (bin: string, extra: Partial<ConstructorParameters<typeof NvidiaStream>[0]> = {}) => {
    const logs: string[] = [];
    const s = new NvidiaStream({ bin, intervalMs: 100, env: { PATH: '/nonexistent', CHURCH_STRIPE_KEY: 'rk_live_secret' }, staleAfterMs: 1500, restartAfterMs: 4000, backoffMs: 100, log: (m) => logs.push(m), ...extra });
    streams.push(s);
    s.start();
    return { s, logs };
  };

  it('reads every GPU from one long-lived process: many loops, one start, newest values', async () => {
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT, GPU_LINE_IDLE]);
    const { s } = open(smi.bin);
    await waitUntil(() => s.read().problem === null && s.read().gpus.length === 2, 'both GPUs read');
    expect(s.read()).toEqual({ gpus: [expect.objectContaining({ index: 0, tempC: 92, powerW: 420.5 }), expect.objectContaining({ index: 1, tempC: 41, powerW: null })], problem: null });
    await waitUntil(() => smi.loops() >= 15, '15 loops printed');
    smi.setCsv([GPU_LINE_HOT.replace(', 92, 99,', ', 71, 50,'), GPU_LINE_IDLE]);
    await waitUntil(() => s.read().gpus[0]?.tempC === 71, 'the new temperature read');
    expect(smi.starts()).toBe(1);
    expect(s.processCount).toBe(1);
  });

  it('a stalled process is marked stale (figures unavailable, GPUs still listed), replaced, and recovers', async () => {
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT, GPU_LINE_IDLE]);
    const { s, logs } = open(smi.bin);
    await waitUntil(() => s.read().problem === null && s.read().gpus.length === 2, 'GPUs read');
    const firstPid = s.pid;
    smi.stall(true);
    await waitUntil(() => /stalled/.test(s.read().problem ?? ''), 'the read-out marked stale');
    const stale = s.read();
    expect(stale.problem).toMatch(/^nvidia-smi has printed nothing for \d+ s \(stalled\)$/);
    expect(stale.gpus.map((g) => [g.index, g.tempC, g.utilPct, g.powerW])).toEqual([
      [0, null, null, null],
      [1, null, null, null],
    ]);
    // Past restartAfterMs the stuck process is killed and a new one started.
    await waitUntil(() => s.processCount >= 2 && s.pid !== firstPid, 'the stalled process replaced');
    expect(alive(firstPid)).toBe(false);
    expect(logs.some((l) => /printed nothing for \d+ s; starting it again/.test(l))).toBe(true);
    smi.stall(false);
    await waitUntil(() => s.read().problem === null && s.read().gpus[0]?.tempC === 92, 'figures again after the stall');
  });

  it('a process that dies is started again with backoff (100, 200, 400 ms …) and its reason is shown', async () => {
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
    const { s, logs } = open(smi.bin);
    await waitUntil(() => s.read().gpus.length === 1, 'GPU read');
    smi.die(true);
    await waitUntil(() => logs.length >= 3, 'three deaths');
    expect(logs.slice(0, 3)).toEqual([
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 100 ms',
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 200 ms',
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 400 ms',
    ]);
    // Figures from a dead process are not current: no GPUs, the reason instead.
    expect(s.read().gpus).toEqual([]);
    expect(s.read().problem).toMatch(/^nvidia-smi exited \(code 3\): Unable to determine/);
    smi.die(false);
    await waitUntil(() => s.read().problem === null && s.read().gpus.length === 1, 'back after the driver returned');
    const starts = smi.starts();
    expect(starts).toBeGreaterThanOrEqual(4);
    // Once lines flow again the backoff starts over.
    smi.die(true);
    await waitUntil(() => logs.length >= 4, 'a fourth death');
    expect(logs[logs.length - 1]).toMatch(/starting it again in 100 ms$/);
  });

  it('a missing binary is a clear reason, not a crash; stop() reaps the process and nothing restarts it', async () => {
    const { s } = open('/nonexistent/nvidia-smi');
    await waitUntil(() => /could not start/.test(s.read().problem ?? ''), 'the start failure reported');
    expect(s.read()).toEqual({ gpus: [], problem: expect.stringMatching(/^nvidia-smi could not start \(ENOENT\); starting it again in/) });

    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
    const { s: live } = open(smi.bin);
    await waitUntil(() => live.read().gpus.length === 1, 'GPU read');
    const pid = live.pid;
    expect(alive(pid)).toBe(true);
    await live.stop();
    expect(alive(pid)).toBe(false);
    expect(live.pid).toBe(null);
    expect(smi.starts()).toBe(1);
  });

  it('the child gets PATH but none of the studio secrets in its environment', async () => {
    const { nvidiaChildEnv } = await import('../../electron/domains/monitor/nvidiaStream');
    expect(nvidiaChildEnv({ PATH: '/usr/bin', CHURCH_STRIPE_KEY: 'rk_live_x', CHURCH_SMTP_PASSWORD: 'pw', HOME: '/root' })).toEqual({ PATH: '/usr/bin' });
  });

  it('the sampling monitor uses one streaming process for all its samples and stops it on close', async () => {
    const f = FixtureTree.healthy();
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT, GPU_LINE_IDLE]);
    const m = fixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: smi.bin });
    const settings = m.monitor.getSettings();
    await m.monitor.setSettings({ intervalMs: 250, desktopNotifications: settings.desktopNotifications, rules: settings.rules, smtp: settings.smtp, prometheus: settings.prometheus });
    m.monitor.start();
    await waitUntil(() => m.samples.filter((x) => x.gpus.length === 2 && x.gpus[0]!.tempC === 92).length >= 5, 'five samples with both GPUs');
    const reader = m.monitor.gpuReader!;
    const pid = reader.pid;
    expect(smi.starts()).toBe(1);
    expect(m.samples.at(-1)!.unavailable.find((u) => u.sensor === 'NVIDIA GPU')).toBeUndefined();
    await m.close();
    expect(alive(pid)).toBe(false);
    expect(smi.starts()).toBe(1);
  });
});
