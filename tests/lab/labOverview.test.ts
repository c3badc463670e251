import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { studioKeys } from '../../electron/domains/lab/identity';
import { AGENTS_SET, agentKey } from '../../electron/domains/lab/names';
import { LabOverviewReader } from '../../electron/domains/lab/overview';
import { ANNOUNCE_TTL_MS, type AgentAnnouncement } from '../../electron/domains/lab/protocol';
import { signMessage } from '../../electron/domains/lab/signing';
import { describeWithRedis, TestRedis } from '../helpers/redis';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

const secret = Buffer.from('a-lab-secret-of-more-than-16-chars-0123456789');

function announcement(name: string): AgentAnnouncement {
  const now = new Date().toISOString();
  return { name, hostname: name, pid: 1, cores: 2, memoryBytes: 1 << 30, freeDiskBytes: 1 << 30, ffmpegVersion: '7.1', encoders: ['libx264'], concurrency: 1, paused: false, running: [], loadAverage: [0, 0, 0], startedAt: now, lastSeen: now };
}

/** Connections Redis has open under the overview's client name. */
async function overviewConnections(admin: Redis): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((l) => l.includes('name=church-lab-status')).length;
}

describeWithRedis('the Lab screen\'s read of the lab (LabOverviewReader)', () => {
  const dir = tempDir('church-overview-');
  let redis: TestRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await TestRedis.start(dir);
    admin = new Redis(redis.url);
    admin.on('error', () => undefined);
    const keys = studioKeys(secret);
    for (const name of ['alpha', 'beta', 'gamma']) {
      await admin.multi().set(agentKey(name), JSON.stringify(signMessage(keys.agent(name), announcement(name))), 'PX', ANNOUNCE_TTL_MS).sadd(AGENTS_SET, name).exec();
    }
  }, 60_000);
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  it('answers every poll on one kept connection (a read used to open and close its own), and closes it with the service', async () => {
    const reader = new LabOverviewReader({ url: redis.url, secret });
    for (let i = 0; i < 5; i++) {
      const o = await reader.read(15_000);
      expect(o.agents.map((a) => [a.name, a.state])).toEqual([['alpha', 'idle'], ['beta', 'idle'], ['gamma', 'idle']]);
      expect(o.queue).toEqual({ waiting: 0, active: 0 });
      expect(await overviewConnections(admin)).toBe(1);
    }
    await reader.close();
    await waitFor('the overview connection closed', async () => (await overviewConnections(admin)) === 0, 10_000);
  });

  it('answers again after a Redis restart, and a Redis that is gone is a timeout with what to check, not a hang', async () => {
    const reader = new LabOverviewReader({ url: redis.url, secret }, 1500);
    expect((await reader.read()).agents).toHaveLength(3);
    await redis.restart();
    // Restarted empty (no persistence): the agents are gone until their next heartbeat, the read answers.
    const after = await waitFor('a read after the restart', () => reader.read().catch(() => null), 20_000);
    expect(after.agents).toEqual([]);
    await redis.stop();
    await expect(reader.read()).rejects.toThrow(/did not answer within 2 s; check that it runs and the URL/);
    await reader.close();
  }, 60_000);
});
