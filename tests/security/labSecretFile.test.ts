import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host/createHost';
import { readLabSecret } from '../../electron/domains/lab';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import type { LabSettings } from '../../shared/dto/lab';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const base: LabSettings = { enabled: true, redisUrl: 'redis://127.0.0.1:6379', user: '', tls: false, caFile: '', secretFile: '', targets: [], scrapeIntervalSec: 5, scrapeTimeoutSec: 5, offlineSec: 15 };

function ownerOnly(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

describe('the lab secret file: not one of the studio\'s files, 32 random bytes, made by church lab secret --new', () => {
  const hosts: Host[] = [];
  afterAll(async () => {
    for (const h of hosts) await h.close();
  });

  it('refuses the studio\'s own instance.json (and anything in its data dir) as the lab secret, through the contract and at start', async () => {
    const dataDir = tempDir('church-labsecret-studio-');
    const host = createHost({ dataDir, secrets: new EnvironmentSecretStore({}, {}), startEngines: false, logError: () => undefined });
    hosts.push(host);
    // instance.json is the attach key's file (owner-only, long and random: it passed every check before).
    writeFileSync(join(dataDir, 'instance.json'), JSON.stringify({ port: 1, attachKey: randomBytes(32).toString('hex') }), { mode: 0o600 });
    mkdirSync(join(dataDir, 'avatar'), { recursive: true });
    const planted = ownerOnly(join(dataDir, 'avatar'), 'track.json', randomBytes(32).toString('hex'));
    for (const secretFile of [join(dataDir, 'instance.json'), join(dataDir, 'studio.sqlite'), planted, join(dataDir, '.', 'avatar', '..', 'instance.json')]) {
      const r = await host.dispatch('lab.setSettings', { settings: { ...base, secretFile } }, { actor: 'web' });
      expect(r, secretFile).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/is inside the studio's data dir .*church lab secret --new/) } });
    }
    // Read at start with the data dir known (a setting written before this rule): refused, the studio runs alone.
    expect(() => readLabSecret(join(dataDir, 'instance.json'), [dataDir])).toThrow(/inside the studio's data dir/);
    // Named like a studio file anywhere (another studio's data dir): refused too.
    const elsewhere = tempDir('church-labsecret-other-');
    expect(() => readLabSecret(ownerOnly(elsewhere, 'instance.json', randomBytes(32).toString('hex')), [dataDir])).toThrow(/one of the studio's own files \(instance\.json\)/);
  });

  it('needs 32 random bytes: short, repeated or patterned text is refused with what to do; hex and base64 of 32 random bytes pass', () => {
    const dir = tempDir('church-labsecret-strength-');
    expect(() => readLabSecret(ownerOnly(dir, 'short', 'a-lab-secret-of-20ch'))).toThrow(/holds 20 bytes; it needs at least 32 random bytes: make a new one with "church lab secret --new/);
    expect(() => readLabSecret(ownerOnly(dir, 'hex-short', randomBytes(16).toString('hex')))).toThrow(/holds 16 bytes/);
    expect(() => readLabSecret(ownerOnly(dir, 'same', 'a'.repeat(64)))).toThrow(/looks like about 0 bits of randomness/);
    expect(() => readLabSecret(ownerOnly(dir, 'pattern', 'abcdefgh'.repeat(8)))).toThrow(/bits of randomness \(repeated or guessable text\)/);
    expect(() => readLabSecret(ownerOnly(dir, 'hexpattern', '0123456789abcdef'.repeat(4)))).toThrow(/bits of randomness/);
    expect(() => readLabSecret('/dev/zero')).toThrow(/not a regular file/);
    for (let i = 0; i < 200; i++) {
      expect(readLabSecret(ownerOnly(dir, 'hex', `${randomBytes(32).toString('hex')}\n`)).length).toBe(64);
      expect(readLabSecret(ownerOnly(dir, 'b64', `${randomBytes(32).toString('base64')}\n`)).length).toBe(44);
    }
  });

  it('church lab secret --new FILE writes 32 random bytes as hex, 0600, and never overwrites a file', async () => {
    const dir = tempDir('church-labsecret-cli-');
    const dataDir = join(dir, 'studio');
    const file = join(dir, 'lab.secret');
    const made = await church(['lab', 'secret', '--new', file, '--json', '--data-dir', dataDir]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ file, bytes: 32, mode: '0600' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readLabSecret(file, [dataDir]).toString()).toBe(text.trim());

    const again = await church(['lab', 'secret', '--new', file, '--data-dir', dataDir]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists; the lab secret in it is kept/);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const inside = await church(['lab', 'secret', '--new', join(dataDir, 'lab.secret'), '--data-dir', dataDir]);
    expect(inside.code).not.toBe(0);
    expect(inside.stderr).toMatch(/inside the studio's data dir/);

    // An agent refuses a secret inside its own data dir before it reaches Redis (nothing listens on port 1).
    const agent = await church(['agent', '--lab', 'redis://127.0.0.1:1', '--secret-file', join(dataDir, 'instance.json'), '--data-dir', dataDir]);
    expect(agent.code).not.toBe(0);
    expect(agent.stderr).toMatch(/inside the studio's data dir/);
  }, 120_000);
});
