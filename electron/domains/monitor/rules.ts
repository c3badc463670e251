import { ruleAggregate, type AlertLevel, type MonitorRule, type Reading } from '../../../shared/dto/monitor';

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
  /** The newest reading behind this state (for a 'max' rule: the hottest series), for the "gone" message. */
  reading: Reading;
  /** Evaluation count when a matching series was last present, for forgetting series that went away. */
  seenAt: number;
}

export interface RuleEvent {
  kind: 'fired' | 'escalated' | 'cleared' | 'kill';
  rule: MonitorRule;
  /** The series the value came from (for a 'max' rule the hottest matching one at that moment). */
  reading: Reading;
  /**
   * The episode's series key, stable for the whole episode: the reading's id for an 'each' rule, or
   * "<family>:max" for a 'max' rule (whose hottest series may change during the episode).
   */
  series: string;
  /** Set on a 'cleared' event sent because the series stopped appearing (unmounted disk, removed container). */
  gone?: true;
  level: Level;
  value: number;
  peak: number;
  at: number;
  /** How long the critical level has held, for the kill action (ms). */
  heldMs?: number;
}

/** Evaluations a series may be absent before its state is dropped (10 min at 1 Hz). */
export const FORGET_AFTER_EVALUATIONS = 600;

/**
 * Evaluates every rule against every matching series, once per sample. Pure apart from its per-series state:
 * time comes in with the readings, so tests drive it with made-up clocks. State of a series that has not appeared
 * for `forgetAfter` evaluations is dropped (an open episode is closed as "gone"), so container mounts and
 * interfaces that come and go do not grow it without bound.
 */
export class RuleEngine {
  private rules: MonitorRule[] = [];
  private readonly state = new Map<string, SeriesState>();
  private evaluations = 0;
  private readonly forgetAfter: number;

  constructor(rules: MonitorRule[], opts: { forgetAfterEvaluations?: number } = {}) {
    this.forgetAfter = opts.forgetAfterEvaluations ?? FORGET_AFTER_EVALUATIONS;
    this.setRules(rules);
  }

  setRules(rules: MonitorRule[]): void {
    this.rules = rules;
    const ids = new Set(rules.filter((r) => r.enabled).map((r) => r.id));
    for (const key of this.state.keys()) if (!ids.has(key.slice(0, key.indexOf('|')))) this.state.delete(key);
  }

  /** How many rule/series states are kept (tests: it must stay bounded). */
  get trackedSeries(): number {
    return this.state.size;
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
    const n = ++this.evaluations;
    for (const rule of this.rules) {
      if (!rule.enabled) continue;
      const matching = readings.filter((r) => r.family === rule.family && (!rule.match || r.id.includes(rule.match)));
      if (ruleAggregate(rule) === 'max') {
        if (matching.length === 0) continue;
        // The hottest series with a value stands for the rule; with none available the countdown breaks.
        let top: Reading | null = null;
        for (const r of matching) if (r.value !== null && (top === null || r.value > (top.value ?? -Infinity))) top = r;
        events.push(...this.step(rule, `${rule.family}:max`, top ?? matching[0]!, at, n));
      } else {
        for (const reading of matching) events.push(...this.step(rule, reading.id, reading, at, n));
      }
    }
    for (const [key, s] of this.state) {
      if (n - s.seenAt < this.forgetAfter) continue;
      this.state.delete(key);
      const rule = this.rules.find((r) => r.id === key.slice(0, key.indexOf('|')));
      if (rule && s.level !== 'ok') {
        const value = s.reading.value ?? s.peak;
        events.push({ kind: 'cleared', rule, reading: s.reading, series: key.slice(key.indexOf('|') + 1), level: s.level, value, peak: s.peak, at, gone: true });
      }
    }
    return events;
  }

  private step(rule: MonitorRule, series: string, reading: Reading, at: number, n: number): RuleEvent[] {
    const key = `${rule.id}|${series}`;
    let s = this.state.get(key);
    const v = reading.value;
    // An unavailable value neither starts nor ends an episode, and breaks a "for" countdown.
    if (v === null) {
      if (s) {
        s.warnSince = null;
        s.critSince = null;
        s.seenAt = n;
      }
      return [];
    }
    if (!s) {
      s = { level: 'ok', warnSince: null, critSince: null, criticalAt: null, killFired: false, peakLevel: 'ok', startValue: v, peak: v, reading, seenAt: n };
      this.state.set(key, s);
    }
    s.reading = reading;
    s.seenAt = n;
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
    const base = { rule, reading, series, value: v, at };
    if (next !== prev) {
      if (prev === 'ok') {
        s.startValue = v;
        s.peak = v;
        s.killFired = false;
        s.peakLevel = 'ok';
      }
      s.level = next;
      s.criticalAt = next === 'critical' ? at : null;
      if (prev === 'ok') events.push({ ...base, kind: 'fired', level: next, peak: v });
      else if (next === 'ok') events.push({ ...base, kind: 'cleared', level: prev, peak: s.peak });
      else if (RANK[next] > RANK[s.peakLevel]) events.push({ ...base, kind: 'escalated', level: next, peak: Math.max(s.peak, v) });
      if (RANK[next] > RANK[s.peakLevel]) s.peakLevel = next;
    }
    if (s.level !== 'ok') s.peak = Math.max(s.peak, v);
    if (s.level === 'critical' && rule.killSwitchAfterSec !== null && !s.killFired && s.criticalAt !== null) {
      const heldMs = at - s.criticalAt;
      if (heldMs >= rule.killSwitchAfterSec * 1000) {
        s.killFired = true;
        events.push({ ...base, kind: 'kill', level: 'critical', peak: s.peak, heldMs });
      }
    }
    return events;
  }
}
