import type { MonitorSample } from '../../../shared/dto/monitor';
import type { LabConfig } from './config';
import { SAMPLES_CHANNEL } from './names';
import { SAMPLE_MAX_AGE_MS } from './protocol';
import { connectRedis } from './redis';
import { openSample, type SampleRefusal } from './sampleMessage';
import { studioKeys } from './identity';
import { NonceCache } from './signing';

export interface SampleFeedOptions {
  lab: LabConfig;
  /** Where a verified sample goes (the monitor's per-host store and rules). */
  onSample(host: string, sample: MonitorSample): void;
  log(line: string): void;
}

const WHY: Record<SampleRefusal, string> = {
  'not JSON': 'not a lab message; something else publishes on the lab\'s channel',
  malformed: 'unsigned; something else publishes on the lab\'s channel, or an old agent',
  'bad-signature': 'not signed with the key of the agent it names: give that agent the studio\'s lab secret file (or its own key from "church lab agent-key NAME")',
  stale: 'more than 30 s old: the agent\'s clock is off the studio\'s (run NTP on both)',
  replayed: 'a copy of one already taken (replayed)',
  'invalid sample': 'signed but not a monitor sample: update church on that agent',
};

/** Refusals are logged at most this often per reason: a misconfigured agent publishes every couple of seconds. */
const REFUSAL_LOG_MS = 60_000;

/**
 * The studio's side of the agents' samples: subscribes to their channel and hands on what carries the lab's
 * signature, is fresh, is not a replay and is shaped like a sample; everything else is dropped (and said, rarely).
 */
export async function startSampleFeed(o: SampleFeedOptions): Promise<{ close(): void }> {
  const sub = connectRedis(o.lab.url, 'church-studio-samples');
  const nonces = new NonceCache(SAMPLE_MAX_AGE_MS);
  const keys = studioKeys(o.lab.secret);
  const lastLogged = new Map<string, number>();
  sub.on('message', (channel: string, raw: string) => {
    if (channel !== SAMPLES_CHANNEL) return;
    const r = openSample(keys, raw, { maxAgeMs: SAMPLE_MAX_AGE_MS, replay: nonces });
    if ('refused' in r) {
      const now = Date.now();
      if (now - (lastLogged.get(r.refused) ?? 0) > REFUSAL_LOG_MS) {
        lastLogged.set(r.refused, now);
        o.log(`ignored a lab monitor sample: ${WHY[r.refused]}`);
      }
      return;
    }
    o.onSample(r.host, r.sample);
  });
  try {
    await sub.subscribe(SAMPLES_CHANNEL);
  } catch (e) {
    sub.disconnect();
    throw e;
  }
  return { close: () => sub.disconnect() };
}
