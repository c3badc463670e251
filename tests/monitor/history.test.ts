import { describe, expect, it } from 'vitest';
import { MinuteRollup, SampleRing } from '../../electron/domains/monitor';
import { migrateMonitor } from '../../electron/domains/monitor/store';
import type { Reading } from '../../shared/dto/monitor';
import { FixtureTree, makeFixtureMonitor } from '../helpers/monitor';

const r = (id: string, value: number | null): Reading => ({ id, family: 'cpu.temp', label: id, unit: '°C', value });

describe('history: ring buffer (last hour, every sample) and minute averages in SQLite (30 days)', () => {
  it('the ring keeps the last N samples; unavailable values come back as null; new series start empty', () => {
    const ring = new SampleRing(5);
    for (let i = 0; i < 7; i++) ring.push(i * 1000, i === 3 ? [r('a', null)] : [r('a', i), ...(i >= 5 ? [r('b', i * 10)] : [])]);
    expect(ring.size).toBe(5);
    expect(ring.series('a', 0)?.points).toEqual([
      [2000, 2],
      [3000, null],
      [4000, 4],
      [5000, 5],
      [6000, 6],
    ]);
    expect(ring.series('b', 0)?.points).toEqual([
      [2000, null],
      [3000, null],
      [4000, null],
      [5000, 50],
      [6000, 60],
    ]);
    expect(ring.series('a', 5000)?.points).toHaveLength(2);
    expect(ring.series('nope', 0)).toBeNull();
  });

  it('a series absent for a whole window loses its column: many appearing and disappearing ids keep memory bounded', () => {
    const ring = new SampleRing(60);
    let most = 0;
    // Docker host: the CPU series always, plus a container interface that lives 20 samples; 1000 of them in turn.
    for (let i = 0; i < 20_000; i++) {
      ring.push(i * 1000, [r('cpu', 40), r(`net.rx_bps:veth${Math.floor(i / 20)}`, i)]);
      most = Math.max(most, ring.columnCount);
    }
    // cpu + the containers seen within the last 60 samples (at most 4), not 1000 columns of 60 slots.
    expect(most).toBeLessThanOrEqual(1 + 60 / 20 + 1);
    expect(ring.series('net.rx_bps:veth0', 0)).toBeNull();
    expect(ring.series('cpu', 0)?.points).toHaveLength(60);
    // A series gone for less than a window keeps its (NaN-filled) history; gone for a full window it is dropped.
    const small = new SampleRing(5);
    small.push(0, [r('a', 1), r('b', 2)]);
    for (let i = 1; i <= 4; i++) small.push(i * 1000, [r('a', 1)]);
    expect(small.series('b', 0)?.points.map((p) => p[1])).toEqual([2, null, null, null, null]);
    small.push(5000, [r('a', 1)]);
    expect(small.series('b', 0)).toBeNull();
    expect(small.columnCount).toBe(1);
  });

  it('minute averages are written when the minute ends (avg/min/max/n), skip nulls, and are pruned after 30 days', () => {
    const f = FixtureTree.healthy();
    const { db } = makeFixtureMonitor(f.root);
    migrateMonitor(db);
    const roll = new MinuteRollup(db);
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    for (let s = 0; s < 60; s++) roll.add(t0 + s * 1000, [r('cpu', 40 + (s % 10)), r('gone', s < 30 ? 70 : null)]);
    expect(db.prepare('SELECT count(*) AS n FROM monitor_minutes').get()).toEqual({ n: 0 });
    roll.add(t0 + 60_000, [r('cpu', 50)]); // the next minute starts: the first is written
    const rows = db.prepare('SELECT series, minute, avg, min, max, n FROM monitor_minutes ORDER BY series').all();
    expect(rows).toEqual([
      { series: 'cpu', minute: t0, avg: 44.5, min: 40, max: 49, n: 60 },
      { series: 'gone', minute: t0, avg: 70, min: 70, max: 70, n: 30 },
    ]);
    roll.flush(t0 + 61_000);
    expect(roll.series('cpu', t0)?.points).toEqual([
      [t0, 44.5],
      [t0 + 60_000, 50],
    ]);
    // 31 days later the old rows go.
    db.prepare('INSERT INTO monitor_minutes (series, minute, avg, min, max, n) VALUES (?, ?, 1, 1, 1, 1)').run('cpu', t0 - 31 * 86_400_000);
    expect(roll.pruneOld(t0 + 60_000)).toBe(1);
    expect(roll.series('cpu', 0)?.points).toHaveLength(2);
  });

  it('monitor.history answers from the ring up to an hour and from minute averages beyond; close() flushes', async () => {
    const f = FixtureTree.healthy();
    let t = Date.UTC(2026, 0, 1, 12, 0, 0);
    const m = makeFixtureMonitor(f.root, { now: () => t });
    for (let i = 0; i < 130; i++) {
      f.setTemp('hwmon0', 'temp1', 40 + (i % 2) * 10).runCpu([25, 25, 25, 25]);
      await m.monitor.tick();
      t += 1000;
    }
    const id = 'cpu.temp:platform_coretemp_0/temp1';
    const short = m.monitor.getHistory([id, 'cpu.load'], 60);
    expect(short.resolution).toBe('sample');
    expect(short.series[0]?.points.length).toBeGreaterThanOrEqual(59);
    expect(short.series[1]?.points.at(-1)?.[1]).toBe(25);
    const long = m.monitor.getHistory([id], 86_400);
    expect(long.resolution).toBe('minute');
    expect(long.series[0]?.points.map((p) => p[1])).toEqual([45, 45, 45]);
    expect(long.series[0]?.label).toBe('Package id 0');
    await m.close();
  });
});
