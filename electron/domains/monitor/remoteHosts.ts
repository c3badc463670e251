import type { HostSampleEvent, MonitorHistory, MonitorHost, MonitorRule, MonitorSample } from '../../../shared/dto/monitor';
import { ChurchError } from '../../../shared/errors';
import type { Db } from '../../platform/db';
import type { Alerting } from './alerting';
import { LabHosts } from './labHosts';
import { labHostSeriesPrefix, MinuteRollup } from './store';

const HOUR_MS = 3_600_000;

export interface RemoteHostsDeps {
  db: Db;
  alerting: Alerting;
  /** Keeps a delivery in flight until the monitor is idle. */
  track(p: Promise<unknown>): void;
  emit(ev: HostSampleEvent): void;
  now(): number;
  logError(msg: string, e: unknown): void;
  /** Milliseconds without a sample before a host is offline, read at each check so an edit applies at once. */
  offlineMs(): number;
  /** Once the monitor has closed, samples still count but no minute averages are written. */
  closed(): boolean;
}

/**
 * The other machines the monitor watches (lab agents, scraped node_exporters): their samples with a short
 * history, minute averages in SQLite beside this machine's (24 h and 7 d charts, across restarts), the rules that
 * watch each host, and "host offline" / "back" alerts.
 */
export class RemoteHosts {
  private readonly lab = new LabHosts();
  private readonly rollups = new Map<string, MinuteRollup>();

  constructor(private readonly deps: RemoteHostsDeps) {}

  setRules(rules: MonitorRule[]): void {
    this.lab.setRules(rules);
  }

  /** Never throws: one host's bad sample must not stop the rest. */
  ingest(host: string, sample: MonitorSample): boolean {
    const d = this.deps;
    try {
      const r = this.lab.ingest(host, sample, d.now());
      if (!r.accepted) return false;
      if (!d.closed()) {
        let rollup = this.rollups.get(host);
        if (!rollup) this.rollups.set(host, (rollup = new MinuteRollup(d.db, labHostSeriesPrefix(host))));
        rollup.add(d.now(), sample.readings);
      }
      if (r.back) d.track(d.alerting.hostBack(host));
      for (const ev of r.events) d.track(d.alerting.onRuleEvent(ev, host, `${host}/${ev.series}`));
      d.emit({ host, sample });
      return true;
    } catch (e) {
      d.logError(`monitor: a sample from lab host ${host} could not be used`, e);
      return false;
    }
  }

  /** Raises "host offline" for hosts silent past the offline time. */
  checkOffline(): void {
    const offlineMs = this.deps.offlineMs();
    for (const h of this.lab.newlyOffline(this.deps.now(), offlineMs)) this.deps.track(this.deps.alerting.hostOffline(h.host, h.lastSeen, offlineMs));
  }

  list(): MonitorHost[] {
    return this.lab.list(this.deps.now(), this.deps.offlineMs());
  }

  latest(host: string): MonitorSample {
    const s = this.lab.samples.latest(host);
    if (!s) throw new ChurchError('NOT_FOUND', `no samples from the lab host "${host}" have reached the studio; check that its agent runs (church agent) with the lab's secret`);
    return s;
  }

  /**
   * Up to an hour: the host's samples in memory, in its own clock, so "since" counts back from its newest.
   * Longer: its minute averages, kept by the studio's clock as the samples arrived.
   */
  history(host: string, series: string[], rangeSec: number): MonitorHistory {
    const since = this.deps.now() - rangeSec * 1000;
    const newest = this.latest(host).at;
    const rollup = rangeSec * 1000 <= HOUR_MS ? null : this.rollups.get(host);
    rollup?.flush(this.deps.now());
    const out: MonitorHistory = { resolution: rollup ? 'minute' : 'sample', series: [] };
    for (const id of series) {
      const s = rollup ? rollup.series(id, since) : this.lab.samples.series(host, id, newest - rangeSec * 1000);
      if (s) out.series.push({ id, ...s });
    }
    return out;
  }

  rollupsToFlush(): MinuteRollup[] {
    return [...this.rollups.values()];
  }
}
