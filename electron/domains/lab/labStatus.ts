import type { Redis } from 'ioredis';
import type { LabAgentDistrust } from '../../../shared/dto/lab';
import type { StudioKeys } from './identity';
import { AGENTS_SET, agentKey } from './names';
import { AGENT_STALE_MS_DEFAULT, ANNOUNCE_TTL_MS, MAX_CLOCK_SKEW_MS, type AgentAnnouncement } from './protocol';
import { SignatureError, verifyMessage, type SignedEnvelope } from './signing';

export type AgentState = 'idle' | 'working' | 'paused' | 'offline' | 'untrusted';

export interface AgentView {
  state: AgentState;
  announcement: AgentAnnouncement;
  /** Set when state is untrusted: what the studio could not verify. */
  untrusted: LabAgentDistrust | null;
}

const WRONG_SECRET = 'its heartbeat is signed with another lab secret: it takes no work here and its output is never registered; give it the studio\'s secret file (or its own key: church lab agent-key NAME --out FILE) and restart it';
const UNSIGNED = 'its heartbeat carries no signature: an older church agent (update it), or something else writing to the lab\'s Redis; it is given no work';

function str(v: unknown, def: string): string {
  return typeof v === 'string' ? v.slice(0, 300) : def;
}

function num(v: unknown, def: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : def;
}

/** What an agent we cannot verify claims, kept to plain display fields (it is shown, never believed). */
function claimed(name: string, raw: unknown): AgentAnnouncement {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    name,
    hostname: str(c.hostname, ''),
    pid: num(c.pid, 0),
    cores: num(c.cores, 0),
    memoryBytes: num(c.memoryBytes, 0),
    freeDiskBytes: null,
    ffmpegVersion: null,
    encoders: [],
    concurrency: 0,
    paused: false,
    running: [],
    loadAverage: [],
    startedAt: str(c.startedAt, ''),
    lastSeen: str(c.lastSeen, ''),
  };
}

function seconds(ms: number): string {
  return `${Math.round(Math.abs(ms) / 1000)} s`;
}

/**
 * One agent's view from its stored heartbeat: its signature checked with its own key, its age by Redis's clock
 * (the key's remaining TTL) when Redis has one, and the agent's clock compared with ours.
 */
export function judgeAgent(keys: StudioKeys, name: string, text: string, pttlMs: number, staleMs: number, now: number): AgentView | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null; // a half-written or foreign key: not an agent
  }
  const env = raw as Partial<SignedEnvelope<unknown>>;
  let a: AgentAnnouncement;
  try {
    a = verifyMessage<AgentAnnouncement>(keys.agent(name), raw, { maxAgeMs: Number.MAX_SAFE_INTEGER, replay: null });
  } catch (e) {
    const signedAtAll = e instanceof SignatureError && e.reason === 'bad-signature';
    const shown = claimed(name, signedAtAll ? env.body : raw);
    if (!signedAtAll && !shown.lastSeen) return null;
    return { state: 'untrusted', announcement: shown, untrusted: signedAtAll ? { reason: 'wrong-secret', detail: WRONG_SECRET } : { reason: 'unsigned', detail: UNSIGNED } };
  }
  if (a.name !== name) return { state: 'untrusted', announcement: claimed(name, a), untrusted: { reason: 'unsigned', detail: UNSIGNED } };
  const ts = env.ts as number;
  // Age by Redis's clock (the heartbeat set the key with ANNOUNCE_TTL_MS); without a TTL, by the agent's clock.
  const redisAge = pttlMs > 0 ? ANNOUNCE_TTL_MS - pttlMs : null;
  const age = redisAge ?? now - ts;
  // Its last heartbeat lists what it ran when it went silent: an offline agent runs nothing (its jobs are taken
  // over, or finished elsewhere), so it must not show them as running.
  if (age > staleMs) return { state: 'offline', announcement: { ...a, running: [] }, untrusted: null };
  // Fresh by Redis, yet its signed time is off ours by more than network delay: the clocks differ.
  const skew = now - ts - (redisAge ?? 0);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    const detail = `its clock is ${seconds(skew)} ${skew > 0 ? 'behind' : 'ahead of'} the studio's: signed messages between them would be refused as stale, so it is given no work; run NTP (e.g. systemd-timesyncd or chrony) on both hosts`;
    return { state: 'untrusted', announcement: a, untrusted: { reason: 'clock-skew', detail } };
  }
  return { state: a.running.length ? 'working' : a.paused ? 'paused' : 'idle', announcement: a, untrusted: null };
}

/** Every agent that announced itself to this Redis (within ANNOUNCE_TTL_MS), with its state and trust. */
export async function readAgents(redis: Redis, keys: StudioKeys, staleMs = AGENT_STALE_MS_DEFAULT, now = Date.now()): Promise<AgentView[]> {
  const names = (await redis.smembers(AGENTS_SET)).sort();
  if (!names.length) return [];
  const m = redis.multi();
  for (const n of names) m.get(agentKey(n)).pttl(agentKey(n));
  const res = (await m.exec()) ?? [];
  const out: AgentView[] = [];
  names.forEach((name, i) => {
    const text = res[i * 2]?.[1];
    const pttl = res[i * 2 + 1]?.[1];
    if (typeof text !== 'string') return;
    const v = judgeAgent(keys, name, text, typeof pttl === 'number' ? pttl : -1, staleMs, now);
    if (v) out.push(v);
  });
  return out;
}
