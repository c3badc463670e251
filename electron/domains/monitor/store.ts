import type { AlertLevel, AlertRecord, MetricUnit, Reading } from '../../../shared/dto/monitor';
import { migrate, type Db, type Migration } from '../../platform/db';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'monitor minute averages and alert history',
    up: (db) =>
      db.exec(`
        CREATE TABLE monitor_minutes (
          series TEXT NOT NULL,
          minute INTEGER NOT NULL,
          avg REAL NOT NULL,
          min REAL NOT NULL,
          max REAL NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (series, minute)
        ) WITHOUT ROWID;
        CREATE INDEX monitor_minutes_minute ON monitor_minutes(minute);
        CREATE TABLE monitor_series (id TEXT PRIMARY KEY, label TEXT NOT NULL, unit TEXT NOT NULL);
        CREATE TABLE monitor_alerts (
          id INTEGER PRIMARY KEY,
          rule_id TEXT NOT NULL,
          series TEXT NOT NULL,
          label TEXT NOT NULL,
          level TEXT NOT NULL,
          value REAL NOT NULL,
          peak REAL NOT NULL,
          unit TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          cleared_at INTEGER,
          kill_switch INTEGER NOT NULL DEFAULT 0,
          delivery TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX monitor_alerts_open ON monitor_alerts(rule_id, series, cleared_at);
      `),
  },
];

export const RETENTION_DAYS = 30;
const MINUTE = 60_000;

/**
 * Keeps one row per series and minute: the average (and min/max) of that minute's samples. The current minute
 * is summed in memory and written when the next one starts, in one transaction.
 */
export class MinuteRollup {
  private minute: number | null = null;
  private readonly acc = new Map<string, { sum: number; min: number; max: number; n: number; label: string; unit: MetricUnit }>();
  private readonly upsert;
  private readonly upsertSeries;
  private readonly prune;
  private lastPrune = 0;

  /**
   * prefix: a lab host's series are kept in the same table under their host (labHostSeriesPrefix), so retention,
   * pruning and the series query are shared; this machine's have none.
   */
  constructor(
    private readonly db: Db,
    private readonly prefix = '',
  ) {
    this.upsert = db.prepare(
      `INSERT INTO monitor_minutes (series, minute, avg, min, max, n) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(series, minute) DO UPDATE SET
         avg = (avg * n + excluded.avg * excluded.n) / (n + excluded.n),
         min = min(min, excluded.min), max = max(max, excluded.max), n = n + excluded.n`,
    );
    this.upsertSeries = db.prepare('INSERT INTO monitor_series (id, label, unit) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET label = excluded.label, unit = excluded.unit');
    this.prune = db.prepare('DELETE FROM monitor_minutes WHERE minute < ?');
  }

  add(at: number, readings: Reading[]): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    if (this.minute !== null && minute !== this.minute) this.flush(at);
    this.minute = minute;
    for (const r of readings) {
      if (r.value === null) continue;
      const a = this.acc.get(r.id);
      if (a) {
        a.sum += r.value;
        a.n++;
        if (r.value < a.min) a.min = r.value;
        if (r.value > a.max) a.max = r.value;
      } else this.acc.set(r.id, { sum: r.value, min: r.value, max: r.value, n: 1, label: r.label, unit: r.unit });
    }
  }

  /** Writes the minute in progress (also at close, so a restart loses at most the samples since). */
  flush(now = Date.now()): void {
    if (this.minute === null || this.acc.size === 0) return;
    const minute = this.minute;
    this.db.transaction(() => {
      for (const [id, a] of this.acc) {
        this.upsert.run(this.prefix + id, minute, a.sum / a.n, a.min, a.max, a.n);
        this.upsertSeries.run(this.prefix + id, a.label, a.unit);
      }
      if (now - this.lastPrune > 3_600_000) {
        this.prune.run(now - RETENTION_DAYS * 86_400_000);
        this.lastPrune = now;
      }
    })();
    this.acc.clear();
  }

  /** Prunes now (tests and start-up). */
  pruneOld(now = Date.now()): number {
    return this.prune.run(now - RETENTION_DAYS * 86_400_000).changes;
  }

  series(id: string, since: number): { label: string; unit: MetricUnit; points: [number, number | null][] } | null {
    const meta = this.db.prepare('SELECT label, unit FROM monitor_series WHERE id = ?').get(this.prefix + id) as { label: string; unit: MetricUnit } | undefined;
    if (!meta) return null;
    const rows = this.db.prepare('SELECT minute, avg FROM monitor_minutes WHERE series = ? AND minute >= ? ORDER BY minute').all(this.prefix + id, since) as { minute: number; avg: number }[];
    return { ...meta, points: rows.map((r) => [r.minute, r.avg]) };
  }
}

/** A tab cannot occur in a host name (an agent's [\w.-] or a DNS name) nor starts this machine's series ids. */
export function labHostSeriesPrefix(host: string): string {
  return `lab\t${host}\t`;
}

type AlertRow = {
  id: number;
  rule_id: string;
  series: string;
  label: string;
  level: AlertLevel;
  value: number;
  peak: number;
  unit: MetricUnit;
  started_at: number;
  cleared_at: number | null;
  kill_switch: number;
  delivery: string;
};

const toRecord = (r: AlertRow): AlertRecord => ({
  id: r.id,
  ruleId: r.rule_id,
  series: r.series,
  label: r.label,
  level: r.level,
  value: r.value,
  peak: r.peak,
  unit: r.unit,
  startedAt: r.started_at,
  clearedAt: r.cleared_at,
  killSwitchTriggered: r.kill_switch === 1,
  delivery: r.delivery,
});

/** One row per alert episode: opened when it fires, updated when it escalates, closed when it clears. */
export class AlertHistory {
  constructor(private readonly db: Db) {}

  open(a: { ruleId: string; series: string; label: string; level: AlertLevel; value: number; unit: MetricUnit; at: number }): number {
    return Number(
      this.db
        .prepare('INSERT INTO monitor_alerts (rule_id, series, label, level, value, peak, unit, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(a.ruleId, a.series, a.label, a.level, a.value, a.value, a.unit, a.at).lastInsertRowid,
    );
  }

  findOpen(ruleId: string, series: string): number | null {
    const row = this.db.prepare('SELECT id FROM monitor_alerts WHERE rule_id = ? AND series = ? AND cleared_at IS NULL ORDER BY id DESC LIMIT 1').get(ruleId, series) as { id: number } | undefined;
    return row?.id ?? null;
  }

  update(id: number, patch: { level?: AlertLevel; peak?: number; clearedAt?: number; killSwitch?: boolean; delivery?: string }): void {
    const cur = this.db.prepare('SELECT * FROM monitor_alerts WHERE id = ?').get(id) as AlertRow | undefined;
    if (!cur) return;
    this.db
      .prepare('UPDATE monitor_alerts SET level = ?, peak = ?, cleared_at = ?, kill_switch = ?, delivery = ? WHERE id = ?')
      .run(
        patch.level ?? cur.level,
        Math.max(cur.peak, patch.peak ?? cur.peak),
        patch.clearedAt ?? cur.cleared_at,
        patch.killSwitch === undefined ? cur.kill_switch : patch.killSwitch ? 1 : 0,
        patch.delivery === undefined ? cur.delivery : [cur.delivery, patch.delivery].filter(Boolean).join('; ').slice(0, 2000),
        id,
      );
  }

  get(id: number): AlertRecord | null {
    const row = this.db.prepare('SELECT * FROM monitor_alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Episodes of rules that were removed or switched off can no longer clear: close them now. */
  closeExcept(activeRuleIds: string[], at: number): void {
    const open = this.db.prepare('SELECT id, rule_id FROM monitor_alerts WHERE cleared_at IS NULL').all() as { id: number; rule_id: string }[];
    for (const a of open) if (!activeRuleIds.includes(a.rule_id)) this.update(a.id, { clearedAt: at, delivery: 'closed: the rule was removed or switched off' });
  }

  /** Episodes left open by a crash cannot be followed any more: close them at start. */
  closeDangling(at: number): void {
    this.db.prepare("UPDATE monitor_alerts SET cleared_at = ?, delivery = delivery || '; closed at restart' WHERE cleared_at IS NULL").run(at);
  }

  recent(limit: number): AlertRecord[] {
    return (this.db.prepare('SELECT * FROM monitor_alerts ORDER BY id DESC LIMIT ?').all(limit) as AlertRow[]).map(toRecord);
  }
}

export function migrateMonitor(db: Db): void {
  migrate(db, 'monitor', migrations);
}
