import type { MonitorSample } from '../../../shared/dto/monitor';
import { SampleRing } from './ringBuffer';

/** Samples kept per host: at an agent's 2 s an hour, at 1 s half an hour. */
export const HOST_HISTORY_SAMPLES = 1800;
/** Lab hosts kept at most (a lab is a handful of machines; a misconfigured one must not grow this without bound). */
export const MAX_LAB_HOSTS = 64;

interface HostEntry {
  latest: MonitorSample;
  /** When the studio received it (ms epoch, the studio's clock: agents' clocks may be off). */
  receivedAt: number;
  ring: SampleRing;
}

/**
 * The studio's copy of every lab host's hardware: its newest sample and a short history, by host name. Pure and
 * in memory (no Redis): whatever brings a host's samples — an agent's signed messages, a scraped node_exporter —
 * hands them in as "host name + MonitorSample".
 */
export class HostSamples {
  private readonly hosts = new Map<string, HostEntry>();

  constructor(private readonly capacity = HOST_HISTORY_SAMPLES) {}

  /** Keeps a host's sample; false when it is refused (older than the newest one, or one host too many). */
  record(host: string, sample: MonitorSample, receivedAt = Date.now()): boolean {
    let e = this.hosts.get(host);
    if (!e) {
      if (this.hosts.size >= MAX_LAB_HOSTS) return false;
      e = { latest: sample, receivedAt, ring: new SampleRing(this.capacity) };
      this.hosts.set(host, e);
    } else if (sample.at <= e.latest.at) return false;
    e.latest = sample;
    e.receivedAt = receivedAt;
    e.ring.push(sample.at, sample.readings);
    return true;
  }

  names(): string[] {
    return [...this.hosts.keys()].sort();
  }

  latest(host: string): MonitorSample | null {
    return this.hosts.get(host)?.latest ?? null;
  }

  /** When the host's newest sample arrived (studio clock), null for an unknown host. */
  lastSeen(host: string): number | null {
    return this.hosts.get(host)?.receivedAt ?? null;
  }

  /** Points of one of the host's series since `since` (the host's clock), oldest first; null if unknown. */
  series(host: string, id: string, since: number): ReturnType<SampleRing['series']> {
    return this.hosts.get(host)?.ring.series(id, since) ?? null;
  }
}
