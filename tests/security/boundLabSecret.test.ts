import { join } from 'node:path';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { createHost, type Host } from '../../electron/host/createHost';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import type { LabSettings, LabSettingsView } from '../../shared/dto/lab';
import { writeSecret } from '../helpers/lab';
import { describeWithRedis, itWithRedis, TestRedis } from '../helpers/redis';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'the-owners-redis-acl-password';
const base: LabSettings = { enabled: true, redisUrl: '', user: 'studio', tls: false, caFile: '', secretFile: '', targets: [], scrapeIntervalSec: 5, scrapeTimeoutSec: 5, offlineSec: 15 };

function open(dataDir: string, env: NodeJS.ProcessEnv = {}): Host {
  const secrets = new EnvironmentSecretStore(env, { 'lab-redis-password': 'CHURCH_LAB_REDIS_PASSWORD' });
  return createHost({ dataDir, env, secrets, startEngines: false, logError: () => undefined });
}

async function call<T>(host: Host, name: string, input: unknown): Promise<T> {
  const r = await host.dispatch(name as never, input as never, { actor: 'web' });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

/** Every AUTH a Redis refused (its ACL LOG, reason "auth"): what a server that records logins would have kept. */
async function refusedLogins(admin: Redis): Promise<string[]> {
  const log = (await admin.call('ACL', 'LOG')) as unknown[][];
  return log.map((entry) => {
    const fields = new Map<string, unknown>();
    for (let i = 0; i < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    return `${String(fields.get('reason'))}:${String(fields.get('username'))}`;
  });
}

describeWithRedis('secrets bound to their destination: the lab\'s Redis password (two real redis-servers)', () => {
  itWithRedis('a settings request that points the lab at another Redis sends it no password, and the view says to enter one', async () => {
    const dir = tempDir('church-bound-redis-');
    const owners = await TestRedis.start(dir);
    const attackersDir = tempDir('church-bound-redis-attacker-');
    const attackers = await TestRedis.start(attackersDir);
    const ownerAdmin = new Redis(owners.url);
    const attackerAdmin = new Redis(attackers.url);
    try {
      await ownerAdmin.call('ACL', 'SETUSER', 'studio', 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
      // The attacker's Redis keeps a log of every login it refuses: any password sent there is a failed AUTH.
      await attackerAdmin.call('ACL', 'SETUSER', 'studio', 'on', '>the-attackers-own-password', '~*', '&*', '+@all');
      await attackerAdmin.call('ACL', 'LOG', 'RESET');
      const dataDir = join(dir, 'studio');
      const secretFile = writeSecret(dir);

      const first = open(dataDir);
      await call(first, 'lab.setSettings', { settings: { ...base, redisUrl: owners.url, secretFile } });
      await call(first, 'lab.setPassword', { password: PASSWORD });
      await first.lab.checkSaved(); // the owner's Redis accepts it

      const moved = await call<LabSettingsView>(first, 'lab.setSettings', { settings: { ...base, redisUrl: attackers.url, secretFile } });
      expect(moved).toMatchObject({ passwordSet: false, passwordNote: expect.stringMatching(/Redis URL changed to redis:\/\/127\.0\.0\.1:\d+\/? .*enter the password for the new server/) });
      // What lab.apply checks first: refused, with the words; nothing reaches the other Redis.
      await expect(first.lab.checkSaved()).rejects.toThrow(/enter the password for the new server/);
      await first.close();
      expect(await refusedLogins(attackerAdmin)).toEqual([]);

      // The next start, with the password in the environment (church serve): still bound to the owner's Redis.
      const second = open(dataDir, { CHURCH_LAB_REDIS_PASSWORD: PASSWORD });
      try {
        const view = await call<LabSettingsView>(second, 'lab.getSettings', {});
        expect(view).toMatchObject({ source: 'off', passwordSet: false, problem: expect.stringMatching(/enter the password for the new server/) });
        expect((await call<{ configured: boolean }>(second, 'lab.status', {})).configured).toBe(false);
      } finally {
        await second.close();
      }
      expect(await refusedLogins(attackerAdmin)).toEqual([]);
    } finally {
      ownerAdmin.disconnect();
      attackerAdmin.disconnect();
      await owners.stop();
      await attackers.stop();
    }
  }, 60_000);
});
