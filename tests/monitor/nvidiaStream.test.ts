import { afterEach, describe, expect, it } from 'vitest';
import { NvidiaStream } from '../../electron/domains/monitor/nvidiaStream';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, GPU_LINE_IDLE, makeNvidiaSmiStreamStandin } from '../helpers/monitor';
import { waitFor } from '../helpers/waitFor';

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
    await waitFor('both GPUs read', () => s.read().problem === null && s.read().gpus.length === 2);
    expect(s.read()).toEqual({ gpus: [expect.objectContaining({ index: 0, tempC: 92, powerW: 420.5 }), expect.objectContaining({ index: 1, tempC: 41, powerW: null })], problem: null });
    await waitFor('15 loops printed', () => smi.loops() >= 15);
    smi.setCsv([GPU_LINE_HOT.replace(', 92, 99,', ', 71, 50,'), GPU_LINE_IDLE]);
    await waitFor('the new temperature read', () => s.read().gpus[0]?.tempC === 71);
    expect(smi.starts()).toBe(1);
    expect(s.processCount).toBe(1);
  });

  it('a stalled process is marked stale (figures unavailable, GPUs still listed), replaced, and recovers', async () => {
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT, GPU_LINE_IDLE]);
    const { s, logs } = open(smi.bin);
    await waitFor('GPUs read', () => s.read().problem === null && s.read().gpus.length === 2);
    const firstPid = s.pid;
    smi.stall(true);
    await waitFor('the read-out marked stale', () => /stalled/.test(s.read().problem ?? ''));
    const stale = s.read();
    expect(stale.problem).toMatch(/^nvidia-smi has printed nothing for \d+ s \(stalled\)$/);
    expect(stale.gpus.map((g) => [g.index, g.tempC, g.utilPct, g.powerW])).toEqual([
      [0, null, null, null],
      [1, null, null, null],
    ]);
    // Past restartAfterMs the stuck process is killed and a new one started.
    await waitFor('the stalled process replaced', () => s.processCount >= 2 && s.pid !== firstPid);
    expect(alive(firstPid)).toBe(false);
    expect(logs.some((l) => /printed nothing for \d+ s; starting it again/.test(l))).toBe(true);
    smi.stall(false);
    await waitFor('figures again after the stall', () => s.read().problem === null && s.read().gpus[0]?.tempC === 92);
  });

  it('a process that dies is started again with backoff (100, 200, 400 ms …) and its reason is shown', async () => {
    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
    const { s, logs } = open(smi.bin);
    await waitFor('GPU read', () => s.read().gpus.length === 1);
    smi.die(true);
    await waitFor('three deaths', () => logs.length >= 3);
    expect(logs.slice(0, 3)).toEqual([
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 100 ms',
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 200 ms',
      'nvidia-smi exited (code 3): Unable to determine the device handle for GPU0: Unknown Error; starting it again in 400 ms',
    ]);
    // Figures from a dead process are not current: no GPUs, the reason instead.
    expect(s.read().gpus).toEqual([]);
    expect(s.read().problem).toMatch(/^nvidia-smi exited \(code 3\): Unable to determine/);
    smi.die(false);
    await waitFor('back after the driver returned', () => s.read().problem === null && s.read().gpus.length === 1);
    const starts = smi.starts();
    expect(starts).toBeGreaterThanOrEqual(4);
    // Once lines flow again the backoff starts over.
    smi.die(true);
    await waitFor('a fourth death', () => logs.length >= 4);
    expect(logs[logs.length - 1]).toMatch(/starting it again in 100 ms$/);
  });

  it('a missing binary is a clear reason, not a crash; stop() reaps the process and nothing restarts it', async () => {
    const { s } = open('/nonexistent/nvidia-smi');
    await waitFor('the start failure reported', () => /could not start/.test(s.read().problem ?? ''));
    expect(s.read()).toEqual({ gpus: [], problem: expect.stringMatching(/^nvidia-smi could not start \(ENOENT\); starting it again in/) });

    const smi = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
    const { s: live } = open(smi.bin);
    await waitFor('GPU read', () => live.read().gpus.length === 1);
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
    const m = makeFixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: smi.bin });
    const settings = m.monitor.getSettings();
    await m.monitor.setSettings({ intervalMs: 250, desktopNotifications: settings.desktopNotifications, rules: settings.rules, smtp: settings.smtp, prometheus: settings.prometheus, channels: settings.channels });
    m.monitor.start();
    await waitFor('five samples with both GPUs', () => m.samples.filter((x) => x.gpus.length === 2 && x.gpus[0]!.tempC === 92).length >= 5);
    const reader = m.monitor.gpuReader!;
    const pid = reader.pid;
    expect(smi.starts()).toBe(1);
    expect(m.samples.at(-1)!.unavailable.find((u) => u.sensor === 'NVIDIA GPU')).toBeUndefined();
    await m.close();
    expect(alive(pid)).toBe(false);
    expect(smi.starts()).toBe(1);
  });
});
