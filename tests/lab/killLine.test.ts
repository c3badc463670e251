import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LabConfig } from '../../electron/domains/lab/config';
import { keepKillLineOpen, runAgentKill, stopLab } from '../../electron/domains/lab/labKill';
import { AGENTS_SET, CONTROL_CHANNEL, agentKey } from '../../electron/domains/lab/names';
import type { AgentAnnouncement, ControlBody } from '../../electron/domains/lab/protocol';
import { connectRedis } from '../../electron/domains/lab/redis';
import { agentCredential } from '../../electron/domains/lab/identity';
import { ANNOUNCE_TTL_MS } from '../../electron/domains/lab/protocol';
import { NonceCache, signMessage, verifyMessage } from '../../electron/domains/lab/signing';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster } from '../helpers/lab';
import { waitFor } from '../helpers/waitFor';

// The studio's kill-switch line to the lab, with a real Redis and the agent's real kill handling in this process
// (its own plan file, a stand-in command that leaves a marker): the line the studio keeps open while the lab is on
// is reused for every stop, so an emergency stop never starts with a connect, and without it a stop still works
// and leaves no connection behind.

describeWithRedis('the studio\'s kill-switch line to the lab', () => {
  const cluster = useLabCluster('church-killline-');
  const { dir } = cluster;
  const marker = join(dir, 'ran');
  let lab: LabConfig;
  let admin: Redis;
  let agentSub: Redis;
  let agentConn: Redis;

  const killConnections = async (): Promise<number> => {
    const list = (await admin.call('CLIENT', 'LIST')) as string;
    return list.split('\n').filter((l) => /name=church-studio-kill(-reports)? /.test(l)).length;
  };
  /** Every connection Redis ever accepted: a stop that opened its own line adds two. */
  const connectionsMade = async (): Promise<number> => Number(/total_connections_received:(\d+)/.exec(await admin.info('stats'))![1]);
  const stop = () => stopLab(lab, { dryRun: false, timeoutMs: 20_000, reason: 'test' });

  beforeAll(async () => {
    const redis = cluster.redis;
    lab = { url: redis.url, secret: Buffer.from('a-lab-secret-of-more-than-16-chars') };
    admin = connectRedis(redis.url, 'test-admin');
    agentConn = connectRedis(redis.url, 'test-agent');
    agentSub = connectRedis(redis.url, 'test-agent-control');
    const agentDir = join(dir, 'agent');
    mkdirSync(agentDir);
    writeFileSync(join(agentDir, 'killswitch-plan.json'), JSON.stringify({ version: 1, steps: [
      { kind: 'command', label: 'mark', enabled: true, timeoutMs: 5000, continueOnFailure: true, argv: ['/usr/bin/touch', marker] },
    ] }));
    const now = new Date().toISOString();
    const me: AgentAnnouncement = { name: 'a1', hostname: 'a1', pid: process.pid, cores: 1, memoryBytes: 1, freeDiskBytes: null, ffmpegVersion: null, encoders: [], concurrency: 1, paused: false, running: [], loadAverage: [0, 0, 0], startedAt: now, lastSeen: now };
    // The agent's own credential: its heartbeat and reports signed with its key, the studio's messages checked.
    const cred = agentCredential(lab.secret, 'a1');
    await agentConn.multi().set(agentKey('a1'), JSON.stringify(signMessage(cred.key, me)), 'PX', ANNOUNCE_TTL_MS).sadd(AGENTS_SET, 'a1').exec();
    const nonces = new NonceCache(30_000);
    agentSub.on('message', (_channel: string, raw: string) => {
      const body = verifyMessage<ControlBody>(cred.studio, JSON.parse(raw) as unknown, { maxAgeMs: 30_000, replay: nonces });
      if (body.type !== 'kill') return;
      void runAgentKill({ key: cred.key, redis: agentConn, host: 'a1', dataDir: agentDir, env: process.env, runId: body.runId, dryRun: body.dryRun, reason: body.reason, stopJobs: async () => ({ stopped: 0 }), log: () => undefined });
    });
    await agentSub.subscribe(CONTROL_CHANNEL);
  }, 60_000);

  afterAll(async () => {
    for (const c of [admin, agentConn, agentSub]) c?.disconnect();
  });

  it('reuses the open line for every stop, and each stop gets the agent\'s full report', async () => {
    const before = await connectionsMade();
    const release = keepKillLineOpen(lab);
    try {
      for (let i = 0; i < 3; i++) {
        rmSync(marker, { force: true });
        const hosts = await stop();
        expect(hosts).toEqual([expect.objectContaining({ host: 'a1', status: 'completed' })]);
        expect(hosts[0]!.steps.map((s) => s.status)).toEqual(['ok']);
        expect(existsSync(marker)).toBe(true);
      }
      // The line's own two connections, and not one more for three stops.
      expect(await connectionsMade()).toBe(before + 2);
      expect(await killConnections()).toBe(2);
    } finally {
      release();
    }
  }, 60_000);

  it('without an open line (a CLI with no studio running) a stop connects, reports, and closes what it opened', async () => {
    rmSync(marker, { force: true });
    const before = await connectionsMade();
    const hosts = await stop();
    expect(hosts.map((h) => [h.host, h.status])).toEqual([['a1', 'completed']]);
    expect(await connectionsMade()).toBe(before + 2);
    expect(existsSync(marker)).toBe(true);
    // disconnect() is immediate on our side; Redis drops the entries as it reads the closed sockets.
    await waitFor('Redis to drop the closed kill lines', async () => (await killConnections()) === 0, 30_000);
    expect(await killConnections()).toBe(0);
  }, 60_000);
});
