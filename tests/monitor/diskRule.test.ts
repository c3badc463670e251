import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_SETTINGS, monitorSettingsSchema } from '../../shared/contract/monitor';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';

describe('the disk rule can pause the job queue', () => {
  it('a disk past its critical level pauses the queue once per episode, says so in the alert, and is audited', async () => {
    const f = FixtureTree.healthy();
    const paused: string[] = [];
    let usedPct = 50;
    const m = makeFixtureMonitor(f.root, {
      pauseJobs: (reason) => paused.push(reason),
      statfs: async () => ({ bsize: 4096, blocks: 1_000_000, bfree: 1_000_000 * (1 - usedPct / 100), bavail: 1_000_000 * (1 - usedPct / 100) }),
    });
    const rules = [{ id: 'outputs-disk', enabled: true, family: 'disk.used_pct' as const, match: '', warn: 90, critical: 97, forSec: 0, hysteresis: 1, killSwitchAfterSec: null, aggregate: 'max' as const, pauseJobs: true }];
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, rules });
    await m.monitor.tick();
    usedPct = 93; // warning only: the queue keeps running
    await m.monitor.tick();
    await m.monitor.idle();
    expect(paused).toEqual([]);
    usedPct = 98.5;
    await m.monitor.tick();
    await m.monitor.tick();
    await m.monitor.idle();
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatch(/^monitor rule outputs-disk: Disk .* used at 98\.5 %$/);
    expect(m.alerts.at(-1)!.body).toMatch(/The job queue was paused; resume it on the Jobs screen once there is room\.$/);
    expect(m.monitor.alerts(5)[0]!.delivery).toMatch(/job queue paused/);
    expect(m.audit.recent(20).some((a) => a.action === 'monitor.pauseJobs')).toBe(true);
    await m.close();
  });

  it('pausing needs a critical level', () => {
    const bad = { ...DEFAULT_MONITOR_SETTINGS, rules: [{ ...DEFAULT_MONITOR_SETTINGS.rules[2]!, critical: null, pauseJobs: true }] };
    expect(monitorSettingsSchema.safeParse(bad).error?.issues[0]?.message).toBe('pausing the job queue needs a critical level');
  });
});
