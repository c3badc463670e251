import type { AlertLevel, MonitorRule, Reading } from '../../../../shared/dto/monitor';

export type Level = 'ok' | AlertLevel;
const RANK: Record<Level, number> = { ok: 0, warn: 1, critical: 2 };

/**
 * The level a value calls for, given the level the series is at now: once a level is reached, the value must
 * fall `hysteresis` below its threshold to leave it, so a value hovering on the line does not flap.
 */
export function levelFor(rule: MonitorRule, current: Level, value: number): Level {
  const h = rule.hysteresis;
  if (rule.critical !== null && (value >= rule.critical || (current === 'critical' && value > rule.critical - h))) return 'critical';
  if (rule.warn !== null && (value >= rule.warn || (RANK[current] >= 1 && value > rule.warn - h))) return 'warn';
  // A critical-only rule: hysteresis below the critical line already applied above.
  return 'ok';
}

interface SeriesState {
  level: Level;
  /** Since when the value has called for at least warn / for critical, without a break. */
  warnSince: number | null;
  critSince: number | null;
  /** When the effective level became critical (for the kill-switch action). */
  criticalAt: number | null;
  killFired: boolean;
  /** Highest level reached in this episode: a second climb to it is not announced again. */
  peakLevel: Level;
  startValue: number;
  peak: number;
}

export interface RuleEvent {
  kind: 'fired' | 'escalated' | 'cleared' | 'kill';
  rule: MonitorRule;
  reading: Reading;
  level: Level;
  value: number;
  peak: number;
  at: number;
  /** How long the critical level has held, for the kill action (ms). */
  heldMs?: number;
}

/**
 * Evaluates every rule against every matching series, once per sample. Pure apart from its per-series state:
 * time comes in with the readings, so tests drive it with made-up clocks.
 */
export class RuleEngine {
  private rules: MonitorRule[] = [];
  private readonly state = new Map<string, SeriesState>();

  constructor(rules: MonitorRule[]) {
    this.setRules(rules);
  }

  setRules(rules: MonitorRule[]): void {
    this.rules = rules;
    const ids = new Set(rules.filter((r) => r.enabled).map((r) => r.id));
    for (const key of this.state.keys()) if (!ids.has(key.slice(0, key.indexOf('|')))) this.state.delete(key);
  }

  /** Series currently in a warn or critical episode. */
  active(): { ruleId: string; series: string; level: AlertLevel }[] {
    const out: { ruleId: string; series: string; level: AlertLevel }[] = [];
    for (const [key, s] of this.state) {
      if (s.level === 'ok') continue;
      const i = key.indexOf('|');
      out.push({ ruleId: key.slice(0, i), series: key.slice(i + 1), level: s.level });
    }
    return out;
  }

  evaluate(readings: Reading[], at: number): RuleEvent[] {
    const events: RuleEvent[] = [];
    for (const rule of this.rules) {
      if (!rule.enabled) continue;
      for (const reading of readings) {
        if (reading.family !== rule.family || (rule.match && !reading.id.includes(rule.match))) continue;
        const ev = this.step(rule, reading, at);
        if (ev) events.push(...ev);
      }
    }
    return events;
  }

  private step(rule: MonitorRule, reading: Reading, at: number): RuleEvent[] | null {
    const key = `${rule.id}|${reading.id}`;
    let s = this.state.get(key);
    const v = reading.value;
    // An unavailable value neither starts nor ends an episode, and breaks a "for" countdown.
    if (v === null) {
      if (s) {
        s.warnSince = null;
        s.critSince = null;
      }
      return null;
    }
    if (!s) {
      s = { level: 'ok', warnSince: null, critSince: null, criticalAt: null, killFired: false, peakLevel: 'ok', startValue: v, peak: v };
      this.state.set(key, s);
    }
    const target = levelFor(rule, s.level, v);
    s.warnSince = RANK[target] >= 1 ? (s.warnSince ?? at) : null;
    s.critSince = target === 'critical' ? (s.critSince ?? at) : null;
    const forMs = rule.forSec * 1000;
    const held = (since: number | null) => since !== null && at - since >= forMs;
    let next: Level;
    if (RANK[target] <= RANK[s.level]) next = target; // calming down (past the hysteresis) needs no waiting
    else if (target === 'critical' && held(s.critSince)) next = 'critical';
    else if (held(s.warnSince) && rule.warn !== null) next = 'warn';
    else next = s.level;

    const events: RuleEvent[] = [];
    const prev = s.level;
    if (next !== prev) {
      if (prev === 'ok') {
        s.startValue = v;
        s.peak = v;
        s.killFired = false;
        s.peakLevel = 'ok';
      }
      s.level = next;
      s.criticalAt = next === 'critical' ? at : null;
      if (prev === 'ok') events.push({ kind: 'fired', rule, reading, level: next, value: v, peak: v, at });
      else if (next === 'ok') events.push({ kind: 'cleared', rule, reading, level: prev, value: v, peak: s.peak, at });
      else if (RANK[next] > RANK[s.peakLevel]) events.push({ kind: 'escalated', rule, reading, level: next, value: v, peak: Math.max(s.peak, v), at });
      if (RANK[next] > RANK[s.peakLevel]) s.peakLevel = next;
    }
    if (s.level !== 'ok') s.peak = Math.max(s.peak, v);
    if (s.level === 'critical' && rule.killSwitchAfterSec !== null && !s.killFired && s.criticalAt !== null) {
      const heldMs = at - s.criticalAt;
      if (heldMs >= rule.killSwitchAfterSec * 1000) {
        s.killFired = true;
        events.push({ kind: 'kill', rule, reading, level: 'critical', value: v, peak: s.peak, at, heldMs });
      }
    }
    return events;
  }
}
