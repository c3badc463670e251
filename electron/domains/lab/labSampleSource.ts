import type { HostSampleSink, HostSampleSource } from '../monitor';
import type { LabConfig } from './config';

/**
 * The lab's hosts as a monitor sample source: the node_exporter scraper hands its samples on from the moment the
 * source is connected; with a Redis lab, the agents' sample feed is subscribed to when the monitor starts.
 */
export function labSampleSource(o: { lab: LabConfig | null; connectScraper(sink: HostSampleSink): void; logError(msg: string, e: unknown): void }): HostSampleSource {
  let sink: HostSampleSink | null = null;
  let feed: { close(): void } | null = null;
  let closed = false;
  return {
    connect(to) {
      sink = to;
      o.connectScraper(to);
    },
    start() {
      const lab = o.lab;
      if (!lab || !sink) return;
      const onSample = sink;
      // Loaded only here: ioredis comes with the feed, and only with a lab.
      void import('./sampleFeed')
        .then(({ startSampleFeed }) => startSampleFeed({ lab, onSample, log: (line) => o.logError('lab monitor', new Error(line)) }))
        .then((f) => {
          if (closed) f.close();
          else feed = f;
        })
        .catch((e: unknown) => o.logError('the lab hosts\' monitor samples could not be subscribed to; the Monitor shows this machine only', e));
    },
    close() {
      closed = true;
      feed?.close();
    },
  };
}
