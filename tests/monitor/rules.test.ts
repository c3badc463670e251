import { describe, expect, it } from 'vitest';
import { RuleEngine, levelFor } from '../../electron/main/services/monitor';
import type { MonitorRule, Reading } from '../../shared/dto/monitor';
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
  it('defaults: CPU and GPU temperature warn 80 °C, critical 90 °C; disk 90 % full', () => {
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'cpu.temp')).toMatchObject({ warn: 80, critical: 90, killSwitchAfterSec: null });
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'gpu.temp')).toMatchObject({ warn: 80, critical: 90 });
    expect(DEFAULT_MONITOR_RULES.find((r) => r.family === 'disk.used_pct')).toMatchObject({ warn: 90 });
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
