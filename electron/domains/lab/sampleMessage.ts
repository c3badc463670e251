import { z } from 'zod';
import { METRIC_FAMILIES, type MetricFamily, type MonitorSample } from '../../../shared/dto/monitor';
import type { SampleBody } from './protocol';
import { verifyFromAgent } from './agentSigned';
import type { StudioKeys } from './identity';
import { signMessage, type MessageKey, type NonceCache, type SignedEnvelope } from './signing';

const reading = z
  .object({
    id: z.string().max(300),
    family: z.enum(METRIC_FAMILIES as readonly MetricFamily[] as [MetricFamily, ...MetricFamily[]]),
    label: z.string().max(300),
    unit: z.enum(['%', '°C', 'rpm', 'B/s', 'W', '', 's']),
    value: z.number().finite().nullable(),
    reason: z.string().max(500).optional(),
  })
  .strict();

// What the studio relies on (charts, cards, rules, the overview) is checked; the sensor detail rides along as sent.
const sampleBody = z
  .object({
    host: z.string().regex(/^[\w.-]{1,64}$/),
    sample: z
      .object({
        at: z.number().finite(),
        platform: z.string().max(64),
        source: z.string().max(64),
        readings: z.array(reading).max(4000),
        unavailable: z.array(z.object({ sensor: z.string().max(200), reason: z.string().max(1000) })).max(200),
        costMs: z.number().finite(),
      })
      .passthrough(),
  })
  .strict();

/**
 * The agent's signed message for one sample, with its own key (without the per-mode CPU seconds, which only
 * Prometheus uses).
 */
export function signSample(key: MessageKey, host: string, sample: MonitorSample): SignedEnvelope<SampleBody> {
  const { times: _times, ...cpu } = sample.cpu;
  return signMessage<SampleBody>(key, { host, sample: { ...sample, cpu } });
}

export type SampleRefusal = 'not JSON' | 'malformed' | 'bad-signature' | 'stale' | 'replayed' | 'invalid sample';

/**
 * Opens a sample message: signed with the key of the agent it names, fresh, not replayed (when `replay` is given), and shaped like
 * a sample. Returns the body or why it was refused; never throws (a bad message is one line in the log).
 */
export function openSample(keys: StudioKeys, raw: string, opts: { maxAgeMs: number; replay: NonceCache | null; now?: number }): SampleBody | { refused: SampleRefusal } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { refused: 'not JSON' };
  }
  let body: unknown;
  try {
    body = verifyFromAgent<SampleBody>(keys, parsed, opts);
  } catch (e) {
    return { refused: (e as { reason?: SampleRefusal }).reason ?? 'malformed' };
  }
  const r = sampleBody.safeParse(body);
  return r.success ? (r.data as unknown as SampleBody) : { refused: 'invalid sample' };
}
