import type { Redis } from 'ioredis';
import { AGENTS_SET, agentKey } from './names';
import { AGENT_STALE_MS_DEFAULT, type AgentAnnouncement } from './protocol';

export type AgentState = 'idle' | 'working' | 'paused' | 'offline';

export interface AgentView {
  state: AgentState;
  announcement: AgentAnnouncement;
}

function stateOf(a: AgentAnnouncement, now: number, staleMs: number): AgentState {
  if (now - Date.parse(a.lastSeen) > staleMs) return 'offline';
  if (a.running.length) return 'working';
  return a.paused ? 'paused' : 'idle';
}

/** Every agent that ever announced itself to this Redis, with its state from its last heartbeat. */
export async function readAgents(redis: Redis, staleMs = AGENT_STALE_MS_DEFAULT, now = Date.now()): Promise<AgentView[]> {
  const names = (await redis.smembers(AGENTS_SET)).sort();
  if (!names.length) return [];
  const raw = await redis.mget(names.map(agentKey));
  const out: AgentView[] = [];
  for (const text of raw) {
    if (!text) continue;
    try {
      const a = JSON.parse(text) as AgentAnnouncement;
      if (typeof a.name !== 'string' || typeof a.lastSeen !== 'string') continue;
      out.push({ state: stateOf(a, now, staleMs), announcement: a });
    } catch {
      // a half-written or foreign key: not an agent
    }
  }
  return out;
}
