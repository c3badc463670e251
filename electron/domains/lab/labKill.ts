import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KillPlan, KillRun, LabHostReport } from '../../../shared/dto/killswitch';
import { acceptedCommands, defaultPlan, executePlan, hostPlatform, loadPlan, pendingCommandSteps, recordAcceptedBaseline } from '../killswitch';
import type { LabConfig } from './config';
import { verifyFromAgent } from './agentSigned';
import { studioKeys } from './identity';
import { readAgents } from './labStatus';
import { CONTROL_CHANNEL, killReportsKey } from './names';
import type { ControlBody } from './protocol';
import { connectRedis, waitForRedis } from './redis';
import { signMessage, type MessageKey } from './signing';
import { labTrace } from './trace';

interface HostRunReport {
  host: string;
  runId: string;
  run: Pick<KillRun, 'status' | 'steps' | 'dryRun'> & { warning?: string };
}

/** The two connections a stop needs: one to broadcast and read, one that blocks on the reports list. */
interface KillLine {
  redis: Redis;
  blocking: Redis;
  busy: boolean;
}

function openKillLine(lab: LabConfig): KillLine {
  return { redis: connectRedis(lab.url, 'church-studio-kill'), blocking: connectRedis(lab.url, 'church-studio-kill-reports'), busy: false };
}

function closeKillLine(line: KillLine): void {
  line.redis.disconnect();
  line.blocking.disconnect();
}

const warmLines = new Map<string, KillLine>();

/**
 * While the studio has the lab on, the kill switch's connections stay open: an emergency stop must not begin with
 * a connect and a handshake (tens of ms on a loaded host, the largest part of the studio's share of a lab kill).
 * Returns the release.
 */
export function keepKillLineOpen(lab: LabConfig): () => void {
  const line = openKillLine(lab);
  warmLines.set(lab.url, line);
  return () => {
    if (warmLines.get(lab.url) === line) warmLines.delete(lab.url);
    closeKillLine(line);
  };
}

/**
 * The studio's "stop the lab" step: a signed trigger to every agent, then their reports collected from a Redis
 * list until each online agent has answered or the step's time is up. The message names no command: each agent
 * runs its own plan file. The trigger goes out first; who is online is read after, while the agents act.
 */
export async function stopLab(lab: LabConfig, o: { dryRun: boolean; timeoutMs: number; reason: string | null; agentStaleMs?: number }): Promise<LabHostReport[]> {
  const deadline = Date.now() + o.timeoutMs;
  labTrace('studio.stopLab');
  const warm = warmLines.get(lab.url);
  const line = warm && !warm.busy ? warm : openKillLine(lab);
  line.busy = true;
  try {
    if (line.redis.status !== 'ready') await waitForRedis(line.redis, lab.url, Math.max(500, Math.min(3000, o.timeoutMs)));
    const runId = randomBytes(12).toString('base64url');
    const body: ControlBody = { type: 'kill', runId, dryRun: o.dryRun, reason: o.reason ?? 'the studio\'s kill switch' };
    const keys = studioKeys(lab.secret);
    await line.redis.publish(CONTROL_CHANNEL, JSON.stringify(signMessage(keys.signer, body)));
    labTrace('studio.broadcast', { runId });
    // Agents it cannot verify are not waited for: their reports would not be believed anyway.
    const online = (await readAgents(line.redis, keys, o.agentStaleMs)).filter((a) => a.state !== 'offline' && a.state !== 'untrusted').map((a) => a.announcement.name);
    const reports = new Map<string, LabHostReport>();
    while (online.some((h) => !reports.has(h))) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const got = await line.blocking.blpop(killReportsKey(runId), Math.max(0.05, left / 1000));
      if (!got) break;
      try {
        // Signed by the agent it names (its own key): one agent cannot report for another.
        const r = verifyFromAgent<HostRunReport>(keys, JSON.parse(got[1]) as unknown, { maxAgeMs: 60_000, replay: null });
        if (r.runId !== runId) continue;
        reports.set(r.host, { host: r.host, status: r.run.status === 'running' ? 'completed-with-failures' : r.run.dryRun ? 'dry-run' : r.run.status, steps: r.run.steps, ...(r.run.warning ? { warning: r.run.warning } : {}) });
      } catch {
        // unsigned or foreign: not a report of ours
      }
    }
    void line.redis.del(killReportsKey(runId)).catch(() => undefined);
    return online.map((h) => reports.get(h) ?? { host: h, status: 'no-answer', steps: [], warning: `no report within ${Math.round(o.timeoutMs / 1000)} s` });
  } finally {
    line.busy = false;
    if (line !== warm) closeKillLine(line);
  }
}

/**
 * The agent's own plan: its data dir's killswitch-plan.json, else the platform default (never the studio's). Its
 * command steps that the owner has not accepted in that data dir (`church kill --accept-plan --data-dir DIR`) are
 * held as the studio's are: an agent sharing the studio's data dir must not run what a restore put there.
 */
export function loadAgentPlan(dataDir: string): { plan: KillPlan; pendingSteps: ReadonlySet<number>; warning?: string } {
  recordAcceptedBaseline(dataDir);
  try {
    const { plan } = loadPlan(dataDir);
    const pendingSteps = pendingCommandSteps(plan, acceptedCommands(dataDir));
    return { plan, pendingSteps, ...(pendingSteps.size ? { warning: `${pendingSteps.size} command step(s) of this agent's plan wait for acceptance and did not run` } : {}) };
  } catch (e) {
    return { plan: defaultPlan(), pendingSteps: new Set(), warning: `${(e as Error).message} — the default plan ran instead` };
  }
}

/** The agent's side: runs its own plan (or its dry run) and pushes the signed report, also before a power-off. */
export async function runAgentKill(o: {
  /** The agent's own key: its report is signed with it. */
  key: MessageKey;
  redis: Redis;
  host: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  runId: string;
  dryRun: boolean;
  reason: string;
  stopJobs(): Promise<{ stopped: number }>;
  log(line: string): void;
}): Promise<void> {
  const { plan, pendingSteps, warning } = loadAgentPlan(o.dataDir);
  labTrace('agent.planLoaded', { runId: o.runId });
  const platform = hostPlatform();
  const run: KillRun = { id: 0, trigger: 'cli', dryRun: o.dryRun, reason: o.reason, platform, startedAt: new Date().toISOString(), finishedAt: null, status: 'running', steps: [], acknowledged: true, ...(warning ? { warning } : {}) };
  const push = async (r: KillRun): Promise<void> => {
    const report: HostRunReport = { host: o.host, runId: o.runId, run: { status: r.status, steps: r.steps, dryRun: r.dryRun, ...(r.warning ? { warning: r.warning } : {}) } };
    await o.redis.multi().rpush(killReportsKey(o.runId), JSON.stringify(signMessage(o.key, report))).expire(killReportsKey(o.runId), 600).exec();
  };
  const done = await executePlan(plan, run, {
    pendingSteps,
    platform,
    env: o.env,
    stopJobs: o.stopJobs,
    sendAlert: async (message) => {
      o.log(`kill switch: ${message}`);
      return 'logged on the agent (the studio sends the lab\'s alerts)';
    },
    onUpdate: () => undefined,
    beforePowerOff: (r) => void push({ ...r, status: 'running' }).catch(() => undefined),
  });
  await push(done);
  o.log(`kill switch ${o.dryRun ? 'dry run' : 'run'} ${o.runId}: ${done.status}`);
}
