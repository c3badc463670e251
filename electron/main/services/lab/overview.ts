import { Queue } from 'bullmq';
import type { LabConfig } from './config';
import { readAgents, type AgentState } from './labStatus';
import { ENCODE_QUEUE, encoderQueue } from './names';
import { AGENT_STALE_MS_DEFAULT, type AgentAnnouncement } from './protocol';
import { connectRedis, waitForRedis } from './redis';

export interface LabOverview {
  agents: (AgentAnnouncement & { state: AgentState })[];
  queue: { waiting: number; active: number };
}

/** One read of the lab for `church lab`: agents from their heartbeats, counts from every encode queue. */
export async function readLabOverview(lab: LabConfig, timeoutMs = 5000, staleMs = AGENT_STALE_MS_DEFAULT): Promise<LabOverview> {
  const redis = connectRedis(lab.url, 'church-lab-status');
  try {
    await waitForRedis(redis, lab.url, timeoutMs);
    const agents = await readAgents(redis, staleMs);
    const queueNames = new Set([ENCODE_QUEUE, ...agents.flatMap((a) => a.announcement.encoders.map(encoderQueue))]);
    let waiting = 0;
    let active = 0;
    for (const name of queueNames) {
      const q = new Queue(name, { connection: redis });
      const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      waiting += (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
      active += c.active ?? 0;
      await q.close();
    }
    return { agents: agents.map((a) => ({ ...a.announcement, state: a.state })), queue: { waiting, active } };
  } finally {
    redis.disconnect();
  }
}
