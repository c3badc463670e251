import type { Redis } from 'ioredis';
import { HardwareReader } from '../../monitor';
import { SAMPLES_CHANNEL, sampleKey } from '../names';
import { signSample } from '../sampleMessage';
import type { MessageKey } from '../signing';

export interface SamplePublisherOptions {
  redis: Redis;
  /** The agent's own key (a sample names its host, and only that agent can sign for it). */
  key: MessageKey;
  host: string;
  intervalMs: number;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
}

/** The newest-sample key outlives a few missed samples, not a dead agent. */
const KEY_TTL_MS = 10 * 60_000;

/**
 * Samples this host with the studio's own reader every interval and publishes each sample signed, plus keeps the
 * newest under the agent's key for one-shot readers. A slow sample skips ticks; a failed one is logged, not fatal.
 */
export function startSamplePublisher(o: SamplePublisherOptions): { close(): Promise<void> } {
  const reader = new HardwareReader({ env: o.env, logError: (msg, e) => o.log(`${msg}: ${(e as Error).message}`) });
  reader.startGpuStream(o.intervalMs);
  let busy = false;
  let closed = false;
  let lastProblem = '';
  const tick = async (): Promise<void> => {
    if (!reader.hasBaseline) await reader.prime();
    const text = JSON.stringify(signSample(o.key, o.host, await reader.takeSample()));
    if (closed) return;
    await o.redis.multi().set(sampleKey(o.host), text, 'PX', KEY_TTL_MS).publish(SAMPLES_CHANNEL, text).exec();
  };
  const run = (): void => {
    if (busy || closed) return;
    busy = true;
    void tick()
      .then(() => {
        lastProblem = '';
      })
      .catch((e: unknown) => {
        // Said once per kind of problem, not once per sample while Redis is away.
        const msg = (e as Error).message;
        if (msg !== lastProblem) o.log(`a monitor sample could not be published: ${msg}`);
        lastProblem = msg;
      })
      .finally(() => {
        busy = false;
      });
  };
  run();
  const timer = setInterval(run, o.intervalMs);
  return {
    async close() {
      // A publish in flight is not waited for: with Redis gone it would wait for ever; the agent's disconnect ends it.
      closed = true;
      clearInterval(timer);
      await reader.stopGpuStream();
    },
  };
}
