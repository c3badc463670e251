import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KillPlan } from '../../shared/dto/killswitch';
import type { Job } from '../../shared/dto/jobs';
import { startAgent, type AgentProc, type Studio } from '../../tests/helpers/lab';
import type { TestRedis } from '../../tests/helpers/redis';

export interface TraceLine {
  at: number;
  pid: number;
  stage: string;
  bullId?: string;
  runId?: string;
}

export function readTrace(file: string): TraceLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceLine);
}

/**
 * `count` real `church agent` processes on the stand-in ffmpeg, each with a kill plan of its own that only stops
 * its jobs (an agent's default plan would take this host's network down). The agents run with their real
 * defaults (heartbeat 2 s, samples 2 s, stall 30 s), not the tests' fast ones. The first starts alone, so its test
 * encodes fill the shared encoder cache the others read; the rest start `parallel` at a time.
 */
export async function startAgents(o: { dir: string; redis: TestRedis; secret: string; ffmpeg: string; count: number; parallel: number; say(line: string): void }): Promise<AgentProc[]> {
  const agents: AgentProc[] = [];
  const one = async (i: number) => {
    const name = `a${String(i).padStart(2, '0')}`;
    const dataDir = join(o.dir, `agent-${name}`);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [{ kind: 'stop-jobs', enabled: true, timeoutMs: 5000, continueOnFailure: true }] } satisfies KillPlan));
    agents.push(await startAgent({ redis: o.redis, secretFile: o.secret, name, dataDir, ffmpeg: o.ffmpeg, cacheDir: o.dir, extra: ['--heartbeat-ms', '2000', '--stall-ms', '30000', '--sample-ms', '2000'] }));
  };
  await one(0);
  for (let i = 1; i < o.count; i += o.parallel) {
    await Promise.all(Array.from({ length: Math.min(o.parallel, o.count - i) }, (_, k) => one(i + k)));
    o.say(`${agents.length} agents up`);
  }
  return agents;
}

/**
 * Queues `total` jobs through the contract (as the Jobs screen or `church transcode` would), `inFlight` requests
 * at a time; `onMark` is called after every `every` jobs (the memory samples are taken there).
 */
export async function enqueueMany(studio: Studio, videoId: number, total: number, inFlight: number, every: number, onMark: (queued: number) => Promise<void>): Promise<{ ms: number; ids: number[] }> {
  const ids: number[] = [];
  const t0 = performance.now();
  let next = 0;
  while (next < total) {
    const upTo = Math.min(total, next + every);
    const lane = async () => {
      while (next < upTo) {
        next++;
        ids.push((await studio.call<Job>('jobs.enqueue', { videoId, preset: 'web', params: { remuxWhenCompliant: false, x264Preset: 'ultrafast' } })).id);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    await onMark(ids.length);
  }
  return { ms: performance.now() - t0, ids };
}
