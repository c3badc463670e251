import { describe, expect, it } from 'vitest';
import { RuleEngine, levelFor, type RuleEvent } from '../../electron/domains/monitor';
import { ruleAggregate, type MonitorRule, type Reading } from '../../shared/dto/monitor';
import { DEFAULT_MONITOR_RULES } from '../../shared/contract/monitor';

const rule = (over: Partial<MonitorRule> = {}): MonitorRule => ({
  id: 'cpu-temp',
  enabled: true,
  family: 'cpu.temp',
  match: '',
  warn: 80,
  critical: 90,
  forSec: 5,
  hysteresis: 3,
  killSwitchAfterSec: null,
  // Per-series behaviour is what most tests here look at; the 'max' default has its own tests below.
  aggregate: 'each',
  ...over,
});

const pkg = (value: number | null): Reading => ({ id: 'cpu.temp:coretemp_0/temp1', family: 'cpu.temp', label: 'Package id 0', unit: '°C', value });

/** Feeds one value per second and returns the events with their second. */
function run(engine: RuleEngine, values: (number | null)[], start = 0) {
  const out: { t: number; kind: string; level: string; value: number }[] = [];
  values.forEach((v, i) => {
    for (const e of engine.evaluate([pkg(v)], (start + i) * 1000)) out.push({ t: start + i, kind: e.kind, level: e.level, value: e.value });
  });
  return out;
}

describe('alert rules', () => {
  it('defaults: CPU and GPU temperature warn 80 °C, critical 90 °C, hottest sensor only; disk 90 % full, each disk', () => {
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'cpu.temp')).toMatchObject({ warn: 80, critical: 90, killSwitchAfterSec: null, aggregate: 'max' });
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'gpu.temp')).toMatchObject({ warn: 80, critical: 90, aggregate: 'max' });
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'disk.used_pct')).toMatchObject({ warn: 90, aggregate: 'each' });
    // Rules saved before the setting existed get the same per-family defaults.
    const { aggregate: _drop, ...old } = rule();
    expect(ruleAggregate({ ...old, family: 'cpu.temp' })).toBe('max');
    expect(ruleAggregate({ ...old, family: 'gpu.temp' })).toBe('max');
    expect(ruleAggregate({ ...old, family: 'disk.used_pct' })).toBe('each');
  });

  it('a warning fires only after the "for" duration, once per episode, holds, and clears with hysteresis', () => {
    const e = new RuleEngine([rule()]);
    // 4 s above 80 then a dip: the countdown restarts; then 5 s held → fires at the 5th second.
    const events = run(e, [70, 81, 82, 83, 84, 79, 81, 82, 83, 84, 85, 86, 85, 84, 79, 78, 77.5, 77, 76]);
    expect(events).toEqual([
      { t: 11, kind: 'fired', level: 'warn', value: 86 },
      // 79 and 78 are inside the 3 °C hysteresis band (80 − 3 = 77): still warn. 77 is not above 77: cleared.
      { t: 17, kind: 'cleared', level: 'warn', value: 77 },
    ]);
    expect(e.active()).toEqual([]);
  });

  it('a value hovering on the line does not flap', () => {
    const e = new RuleEngine([rule({ forSec: 0 })]);
    const hover = Array.from({ length: 60 }, (_, i) => (i % 2 ? 80.4 : 79.6));
    const events = run(e, hover);
    expect(events.filter((x) => x.kind === 'fired')).toHaveLength(1);
    expect(events.filter((x) => x.kind === 'cleared')).toHaveLength(0);
  });

  it('escalates to critical once, calms to warn silently, then one cleared message', () => {
    const e = new RuleEngine([rule({ forSec: 2 })]);
    const events = run(e, [85, 85, 85, 92, 93, 94, 95, 88, 86, 91, 92, 60]);
    // 88 stays critical (inside the 3 °C band under 90), 86 calms to warn without a message, the short return to
    // 91–92 is shorter than "for" 2 s, and 60 clears the episode.
    expect(events.map((x) => `${x.t}:${x.kind}:${x.level}`)).toEqual(['2:fired:warn', '5:escalated:critical', '11:cleared:warn']);
  });

  it('a jump straight to critical fires as critical', () => {
    const e = new RuleEngine([rule({ forSec: 1 })]);
    expect(run(e, [95, 95, 95]).map((x) => `${x.t}:${x.kind}:${x.level}`)).toEqual(['1:fired:critical']);
  });

  it('an unavailable reading neither fires nor clears, and breaks a countdown', () => {
    const e = new RuleEngine([rule({ forSec: 2 })]);
    expect(run(e, [85, 85, null, 85, 85, null, null, null])).toEqual([]);
    expect(run(e, [85, 85, 85], 10).map((x) => x.kind)).toEqual(['fired']);
    expect(run(e, [null, null, null], 20)).toEqual([]);
    expect(e.active()).toEqual([{ ruleId: 'cpu-temp', series: 'cpu.temp:coretemp_0/temp1', level: 'warn' }]);
  });

  it('kill-switch action: only after the critical level has held for the set time, once per episode', () => {
    const e = new RuleEngine([rule({ forSec: 0, killSwitchAfterSec: 3 })]);
    // 89 is inside the hysteresis band (still critical, the clock runs on); 86 leaves critical and restarts it.
    const events = run(e, [95, 95, 95, 95, 95, 95, 50, 95, 89, 86, 95, 95, 95, 95]);
    expect(events.map((x) => `${x.t}:${x.kind}`)).toEqual(['0:fired', '3:kill', '6:cleared', '7:fired', '13:kill']);
  });

  it('is off by default and a disabled rule does nothing', () => {
    const e = new RuleEngine([rule({ enabled: false })]);
    expect(run(e, [99, 99, 99, 99, 99, 99, 99])).toEqual([]);
  });

  it('match narrows a rule to some series; each series has its own episode', () => {
    const e = new RuleEngine([rule({ forSec: 0, family: 'disk.used_pct', match: '/srv', warn: 90, critical: null, hysteresis: 1 })]);
    const d = (id: string, value: number): Reading => ({ id: `disk.used_pct:${id}`, family: 'disk.used_pct', label: id, unit: '%', value });
    expect(e.evaluate([d('/', 99), d('/srv/a', 95), d('/srv/b', 50)], 0).map((x) => x.reading.id)).toEqual(['disk.used_pct:/srv/a']);
    expect(e.evaluate([d('/', 99), d('/srv/a', 95), d('/srv/b', 96)], 1000).map((x) => x.reading.id)).toEqual(['disk.used_pct:/srv/b']);
  });

  it('levelFor applies hysteresis only to a level already reached', () => {
    const r = rule();
    expect(levelFor(r, 'ok', 79)).toBe('ok');
    expect(levelFor(r, 'warn', 79)).toBe('warn');
    expect(levelFor(r, 'critical', 88)).toBe('critical');
    expect(levelFor(r, 'critical', 87)).toBe('warn');
    expect(levelFor(rule({ warn: null }), 'critical', 86)).toBe('ok');
  });
});

const core = (n: number, value: number | null): Reading => ({ id: `cpu.temp:coretemp_0/temp${n + 2}`, family: 'cpu.temp', label: `Core ${n}`, unit: '°C', value });

describe('alert rules: one episode per heat event (aggregate max) and bounded state', () => {
  it("a 32-core heat event is one episode with the default cpu-temp rule (aggregate 'max'), following the hottest sensor", () => {
    const cpuRule = DEFAULT_MONITOR_RULES.find((r) => r.id === 'cpu-temp')!;
    const e = new RuleEngine([{ ...cpuRule, forSec: 2 }]);
    const box = (base: number, hot: number | null = null) => [pkg(base + 1), ...Array.from({ length: 32 }, (_, i) => core(i, i === hot ? base + (base >= 90 ? 6 : 3) : base))];
    const events: RuleEvent[] = [];
    for (let t = 0; t < 5; t++) events.push(...e.evaluate(box(70), t * 1000));
    for (let t = 5; t < 15; t++) events.push(...e.evaluate(box(85, t % 32), t * 1000));
    for (let t = 15; t < 20; t++) events.push(...e.evaluate(box(92, 7), t * 1000));
    for (let t = 20; t < 25; t++) events.push(...e.evaluate(box(60), t * 1000));
    expect(events.map((x) => `${x.at / 1000}:${x.kind}:${x.level}:${x.reading.label}:${x.value}`)).toEqual([
      '7:fired:warn:Core 7:88',
      '17:escalated:critical:Core 7:98',
      '20:cleared:critical:Package id 0:61',
    ]);
    // One stable episode key, whichever core is hottest.
    expect(new Set(events.map((x) => x.series))).toEqual(new Set(['cpu.temp:max']));
    expect(events.at(-1)!.peak).toBe(98);
    expect(e.trackedSeries).toBe(1);
  });

  it("the same heat event with aggregate 'each' opens one episode per sensor (33)", () => {
    const e = new RuleEngine([rule({ forSec: 0, aggregate: 'each' })]);
    const fired = e.evaluate([pkg(85), ...Array.from({ length: 32 }, (_, i) => core(i, 85))], 0).filter((x) => x.kind === 'fired');
    expect(fired).toHaveLength(33);
  });

  it("'max' with every matching sensor unavailable breaks the countdown, and a disk rule stays per disk", () => {
    const e = new RuleEngine([rule({ forSec: 2, aggregate: 'max' })]);
    const seq = [[pkg(85)], [pkg(85)], [pkg(null), core(0, null)], [pkg(85)], [pkg(85)], [pkg(85)]];
    expect(seq.flatMap((rs, t) => e.evaluate(rs, t * 1000)).map((x) => `${x.at / 1000}:${x.kind}`)).toEqual(['5:fired']);
  });

  it('state of series that stopped appearing is dropped (many churning ids stay bounded); an open episode is closed as gone', () => {
    const e = new RuleEngine([rule({ family: 'disk.used_pct', warn: 90, critical: null, hysteresis: 1, forSec: 0, aggregate: 'each' })], { forgetAfterEvaluations: 30 });
    const d = (id: string, value: number): Reading => ({ id: `disk.used_pct:${id}`, family: 'disk.used_pct', label: `Disk ${id} used`, unit: '%', value });
    const events: RuleEvent[] = [];
    let max = 0;
    // 2000 container mounts, each present for 10 evaluations, beside the host's root; one of them was full.
    for (let t = 0; t < 20_000; t++) {
      const c = Math.floor(t / 10);
      events.push(...e.evaluate([d('/', 50), d(`/containers/${c}`, c === 3 ? 95 : 40)], t * 1000));
      max = Math.max(max, e.trackedSeries);
    }
    expect(max).toBeLessThanOrEqual(2 + 30 / 10 + 1);
    expect(e.trackedSeries).toBeLessThanOrEqual(5);
    expect(events.map((x) => `${x.at / 1000}:${x.kind}:${x.series}:${x.gone ?? false}`)).toEqual([
      '30:fired:disk.used_pct:/containers/3:false',
      '69:cleared:disk.used_pct:/containers/3:true',
    ]);
  });
});
