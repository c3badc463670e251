import { ruleWatchesHost, summarizeSample, type MonitorHost, type MonitorRule, type MonitorSample } from '../../../shared/dto/monitor';
import { HostSamples } from './hostSamples';
import { RuleEngine, type RuleEvent } from './rules';

/**
 * The lab hosts as the monitor sees them: their samples (HostSamples), one rule engine per host (so an "any host"
 * rule keeps one episode per host), and which hosts went silent. Pure: time comes in with the calls.
 */
export class LabHosts {
  readonly samples = new HostSamples();
  private readonly engines = new Map<string, RuleEngine>();
  private readonly offline = new Set<string>();
  private rules: MonitorRule[] = [];

  setRules(rules: MonitorRule[]): void {
    this.rules = rules;
    for (const [host, engine] of this.engines) engine.setRules(this.rulesFor(host));
  }

  private rulesFor(host: string): MonitorRule[] {
    return this.rules.filter((r) => ruleWatchesHost(r, host));
  }

  /**
   * Takes a host's sample and evaluates the rules that watch it. `accepted` false: an older or duplicate sample (or
   * one host too many), ignored; `back`: the host had been reported offline.
   */
  ingest(host: string, sample: MonitorSample, now: number): { accepted: boolean; events: RuleEvent[]; back: boolean } {
    if (!this.samples.record(host, sample, now)) return { accepted: false, events: [], back: false };
    let engine = this.engines.get(host);
    if (!engine) {
      engine = new RuleEngine(this.rulesFor(host));
      this.engines.set(host, engine);
    }
    const back = this.offline.delete(host);
    return { accepted: true, events: engine.evaluate(sample.readings, sample.at), back };
  }

  /** Hosts silent longer than offlineMs that were not reported yet (each once, until it reports again). */
  newlyOffline(now: number, offlineMs: number): { host: string; lastSeen: number }[] {
    const out: { host: string; lastSeen: number }[] = [];
    for (const host of this.samples.names()) {
      const seen = this.samples.lastSeen(host)!;
      if (now - seen > offlineMs && !this.offline.has(host)) {
        this.offline.add(host);
        out.push({ host, lastSeen: seen });
      }
    }
    return out;
  }

  /** The picker's and overview's entries for the lab hosts, by name. */
  list(now: number, offlineMs: number): MonitorHost[] {
    return this.samples.names().map((host) => {
      const latest = this.samples.latest(host)!;
      const seen = this.samples.lastSeen(host)!;
      return { host, label: host, state: now - seen > offlineMs ? 'offline' : 'online', lastSeen: seen, summary: summarizeSample(latest) };
    });
  }
}
