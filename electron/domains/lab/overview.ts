import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ChurchError } from '../../../shared/errors';
import type { LabConfig } from './config';
import { studioKeys } from './identity';
import { readAgents, type AgentState } from './labStatus';
import type { LabAgentDistrust } from '../../../shared/dto/lab';
import type { MonitorSample } from '../../../shared/dto/monitor';
import { ENCODE_QUEUE, encoderQueue, sampleKey } from './names';
import { AGENT_STALE_MS_DEFAULT, type AgentAnnouncement } from './protocol';
import { openSample } from './sampleMessage';
import { connectRedis, waitForRedis } from './redis';

export interface LabOverview {
  agents: (AgentAnnouncement & { state: AgentState; untrusted: LabAgentDistrust | null; sample: MonitorSample | null })[];
  queue: { waiting: number; active: number };
}

/**
 * Reads the lab's overview on one Redis connection kept between reads (the Lab screen asks every 2 s): a read
 * that opened its own connection and BullMQ queue handles paid a connect, Redis's ready check and the queue's
 * script set-up every time, and under load the connect alone could outlast the screen's budget. A read that
 * fails (Redis away, or no answer within `timeoutMs`) drops the connection, so the next read starts afresh.
 */
export class LabOverviewReader {
  private redis: Redis | null = null;
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly lab: LabConfig, private readonly timeoutMs = 5000) {}

  async read(staleMs = AGENT_STALE_MS_DEFAULT): Promise<LabOverview> {
    const fresh = this.redis === null;
    const redis = (this.redis ??= connectRedis(this.lab.url, 'church-lab-status'));
    let timer: NodeJS.Timeout | undefined;
    try {
      if (fresh) await waitForRedis(redis, this.lab.url, this.timeoutMs);
      // A held connection waits out a Redis restart by itself: the screen gets an answer or a timeout, not a hang.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ChurchError('UNAVAILABLE', `the lab's Redis at ${new URL(this.lab.url).host} did not answer within ${Math.round(this.timeoutMs / 1000)} s; check that it runs and the URL`)), this.timeoutMs);
      });
      return await Promise.race([this.readOn(redis, staleMs), late]);
    } catch (e) {
      await this.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private async readOn(redis: Redis, staleMs: number): Promise<LabOverview> {
    const keys = studioKeys(this.lab.secret);
    const agents = await readAgents(redis, keys, staleMs);
    const queueNames = new Set([ENCODE_QUEUE, ...agents.flatMap((a) => a.announcement.encoders.map(encoderQueue))]);
    let waiting = 0;
    let active = 0;
    for (const name of queueNames) {
      let q = this.queues.get(name);
      if (!q) {
        q = new Queue(name, { connection: redis });
        // Kept between reads: a Redis outage is this read's timeout, never an unhandled 'error' event.
        q.on('error', () => undefined);
        this.queues.set(name, q);
      }
      const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      waiting += (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
      active += c.active ?? 0;
    }
    const samples = agents.length ? await redis.mget(agents.map((a) => sampleKey(a.announcement.name))) : [];
    return {
      agents: agents.map((a, i) => ({ ...a.announcement, state: a.state, untrusted: a.untrusted, sample: a.untrusted ? null : agentSample(this.lab, a.announcement.name, samples[i] ?? null) })),
      queue: { waiting, active },
    };
  }

  /** Closes the connection (a later read opens a new one). */
  async close(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.allSettled(queues.map((q) => q.close()));
    redis?.disconnect();
  }
}

/** One read of the lab on a connection of its own (`church lab`, the metrics page): agents from their heartbeats, counts from every encode queue. */
export async function readLabOverview(lab: LabConfig, timeoutMs = 5000, staleMs = AGENT_STALE_MS_DEFAULT): Promise<LabOverview> {
  const reader = new LabOverviewReader(lab, timeoutMs);
  try {
    return await reader.read(staleMs);
  } finally {
    await reader.close();
  }
}

/** The agent's newest sample if that agent signed it with its own key (however old: lastSeen says). */
function agentSample(lab: LabConfig, name: string, raw: string | null): MonitorSample | null {
  if (!raw) return null;
  const r = openSample(studioKeys(lab.secret), raw, { maxAgeMs: Number.MAX_SAFE_INTEGER, replay: null });
  return 'refused' in r || r.host !== name ? null : r.sample;
}
