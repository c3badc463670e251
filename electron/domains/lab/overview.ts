import { Queue } from 'bullmq';
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

/** One read of the lab for `church lab`: agents from their heartbeats, counts from every encode queue. */
export async function readLabOverview(lab: LabConfig, timeoutMs = 5000, staleMs = AGENT_STALE_MS_DEFAULT): Promise<LabOverview> {
  const redis = connectRedis(lab.url, 'church-lab-status');
  try {
    await waitForRedis(redis, lab.url, timeoutMs);
    const keys = studioKeys(lab.secret);
    const agents = await readAgents(redis, keys, staleMs);
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
    const samples = agents.length ? await redis.mget(agents.map((a) => sampleKey(a.announcement.name))) : [];
    return {
      agents: agents.map((a, i) => ({ ...a.announcement, state: a.state, untrusted: a.untrusted, sample: a.untrusted ? null : agentSample(lab, a.announcement.name, samples[i] ?? null) })),
      queue: { waiting, active },
    };
  } finally {
    redis.disconnect();
  }
}

/** The agent's newest sample if that agent signed it with its own key (however old: lastSeen says). */
function agentSample(lab: LabConfig, name: string, raw: string | null): MonitorSample | null {
  if (!raw) return null;
  const r = openSample(studioKeys(lab.secret), raw, { maxAgeMs: Number.MAX_SAFE_INTEGER, replay: null });
  return 'refused' in r || r.host !== name ? null : r.sample;
}
