import type { MonitorSample } from '../../../shared/dto/monitor';

/** Where another machine's sample goes: the monitor's per-host store, its rules and the UI. */
export type HostSampleSink = (host: string, sample: MonitorSample) => void;

/**
 * Something that brings other machines' samples to the monitor (a lab's agents, scraped node_exporters): a
 * plug-in registers one through the monitor's index, so the monitor never knows where its hosts come from.
 */
export interface HostSampleSource {
  /** Called once, when the source is registered: a source may deliver from then on (a one-shot scrape, too). */
  connect(sink: HostSampleSink): void;
  /** Called when the monitor starts sampling (the primary process only). */
  start?(): void;
  /** Called when the monitor closes, before its last minute is saved. */
  close?(): void;
}
