import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimedHost, verifyFromAgent } from '../../electron/domains/lab/agentSigned';
import { agentCredential, agentKeyText, studioKeys } from '../../electron/domains/lab/identity';
import { checkLabResult, openProgress } from '../../electron/domains/lab/labResult';
import { judgeAgent } from '../../electron/domains/lab/labStatus';
import { ANNOUNCE_TTL_MS, type AgentAnnouncement, type LabJobResult } from '../../electron/domains/lab/protocol';
import { openPayload, sealPayload } from '../../electron/domains/lab/sealing';
import { signMessage, verifyMessage } from '../../electron/domains/lab/signing';
import { tempDir } from '../helpers/tempDir';

// Lab identity without Redis: per-agent keys from the lab secret, the studio's own key, sealed job payloads, the
// studio's judgement of a heartbeat, and the check of a job's result against the file that arrived.

const secret = Buffer.from('a-lab-secret-of-more-than-16-chars-0123456789');
const other = Buffer.from('another-secret-entirely-0123456789abcdef');
const opts = { maxAgeMs: 30_000, replay: null };

describe('lab identity: per-agent keys, the studio\'s key, sealed payloads', () => {
  it('an agent\'s key signs for that agent only: one agent cannot speak for another', () => {
    const alpha = agentCredential(secret, 'alpha');
    const keys = studioKeys(secret);
    const msg = signMessage(alpha.key, { host: 'alpha', note: 'hello' });
    expect(verifyFromAgent(keys, msg, opts)).toEqual({ host: 'alpha', note: 'hello' });
    // alpha claiming to be beta, with its own key: refused.
    const posing = signMessage(alpha.key, { host: 'beta', note: 'hello' });
    expect(claimedHost(posing)).toBe('beta');
    expect(() => verifyFromAgent(keys, posing, opts)).toThrow(/bad-signature/);
    // Signed with the raw lab secret (as every message was before): not an agent's key.
    expect(() => verifyFromAgent(keys, signMessage(secret, { host: 'alpha' }), opts)).toThrow(/bad-signature/);
    // An agent of another lab: refused.
    expect(() => verifyFromAgent(keys, signMessage(agentCredential(other, 'alpha').key, { host: 'alpha' }), opts)).toThrow(/bad-signature/);
    expect(() => verifyFromAgent(keys, { body: { host: '../x' }, ts: 1, nonce: 'n', sig: 's' }, opts)).toThrow(/malformed/);
  });

  it('the studio signs with a key no agent holds: agents check it, cannot make it', () => {
    const keys = studioKeys(secret);
    const alpha = agentCredential(secret, 'alpha');
    const cancel = signMessage(keys.signer, { type: 'cancel', bullId: 'studio-1-a1' });
    expect(verifyMessage(alpha.studio, cancel, opts)).toEqual({ type: 'cancel', bullId: 'studio-1-a1' });
    expect(() => alpha.studio.sign('x')).toThrow(/cannot sign as the studio/);
    // A message made with the lab secret (HMAC) or another agent's key is not the studio's.
    expect(() => verifyMessage(alpha.studio, signMessage(secret, { type: 'kill' }), opts)).toThrow(/bad-signature/);
    expect(() => verifyMessage(alpha.studio, signMessage(agentCredential(secret, 'beta').key, { type: 'kill' }), opts)).toThrow(/bad-signature/);
    expect(() => verifyMessage(agentCredential(other, 'alpha').studio, cancel, opts)).toThrow(/bad-signature/);
    expect(alpha.studioId).toBe(keys.id);
    expect(agentCredential(other, 'alpha').studioId).not.toBe(keys.id);
  });

  it('an agent key file holds that agent\'s share only: the same keys, for its name, and not the lab secret', () => {
    const text = agentKeyText(secret, 'alpha');
    expect(text).not.toContain(secret.toString());
    const fromFile = agentCredential(Buffer.from(`${text}\n`), 'alpha');
    const derived = agentCredential(secret, 'alpha');
    expect(fromFile.fromKeyFile).toBe(true);
    expect(fromFile.studioId).toBe(derived.studioId);
    expect(fromFile.seal.equals(derived.seal)).toBe(true);
    const m = signMessage(fromFile.key, { host: 'alpha' });
    expect(verifyFromAgent(studioKeys(secret), m, opts)).toEqual({ host: 'alpha' });
    expect(() => agentCredential(Buffer.from(text), 'beta')).toThrow(/this agent key is for the agent "alpha"; start the agent with --name alpha/);
    expect(() => agentCredential(Buffer.from(`${text.slice(0, -4)}`), 'alpha')).toThrow(/damaged/);
  });

  it('a job payload is sealed: no transfer URL in it, and it opens only with the lab\'s key under its own job id', () => {
    const keys = studioKeys(secret);
    const body = { sources: [{ path: '/srv/a.mp4', url: 'http://studio:4000/lab/source/abc?exp=1&sig=x' }], outputUrl: 'http://studio:4000/lab/output/def?exp=1&sig=y' };
    const data = sealPayload(keys.seal, 'studio-7-a1', signMessage(keys.signer, body));
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/http|lab\/|sig=|srv/);
    const opened = openPayload(agentCredential(secret, 'beta').seal, 'studio-7-a1', data);
    expect(verifyMessage(agentCredential(secret, 'beta').studio, opened, opts)).toEqual(body);
    expect(openPayload(agentCredential(other, 'beta').seal, 'studio-7-a1', data)).toBeNull();
    expect(openPayload(keys.seal, 'studio-8-a1', data)).toBeNull();
    expect(openPayload(keys.seal, 'studio-7-a1', { sealed: `${data.sealed.slice(0, -3)}AAA` })).toBeNull();
    expect(openPayload(keys.seal, 'studio-7-a1', signMessage(secret, body))).toBeNull();
  });
});

describe('the studio\'s judgement of a heartbeat', () => {
  const keys = studioKeys(secret);
  const now = 1_800_000_000_000;
  const ann = (name: string): AgentAnnouncement => ({ name, hostname: name, pid: 1, cores: 4, memoryBytes: 1, freeDiskBytes: null, ffmpegVersion: '7', encoders: ['libx264'], concurrency: 2, paused: false, running: [], loadAverage: [0, 0, 0], startedAt: new Date(now).toISOString(), lastSeen: new Date(now).toISOString() });
  const fresh = ANNOUNCE_TTL_MS - 500; // written half a second ago, by Redis's clock

  it('trusts its own key\'s heartbeat; an unsigned one, another secret\'s or a name not its own is untrusted, with why', () => {
    expect(judgeAgent(keys, 'alpha', JSON.stringify(signMessage(agentCredential(secret, 'alpha').key, ann('alpha'), now - 500)), fresh, 15_000, now)).toMatchObject({ state: 'idle', untrusted: null });
    const unsigned = judgeAgent(keys, 'evil', JSON.stringify(ann('evil')), -1, 15_000, now);
    expect(unsigned).toMatchObject({ state: 'untrusted', untrusted: { reason: 'unsigned' } });
    expect(unsigned!.announcement.concurrency).toBe(0);
    const wrong = judgeAgent(keys, 'stray', JSON.stringify(signMessage(agentCredential(other, 'stray').key, ann('stray'), now)), fresh, 15_000, now);
    expect(wrong).toMatchObject({ state: 'untrusted', untrusted: { reason: 'wrong-secret', detail: expect.stringMatching(/another lab secret/) } });
    // beta's key file used under alpha's name: alpha's key does not check it.
    expect(judgeAgent(keys, 'alpha', JSON.stringify(signMessage(agentCredential(secret, 'beta').key, ann('alpha'), now)), fresh, 15_000, now)).toMatchObject({ state: 'untrusted', untrusted: { reason: 'wrong-secret' } });
    expect(judgeAgent(keys, 'x', 'not json', fresh, 15_000, now)).toBeNull();
  });

  it('tells a clock off the studio\'s from an agent gone quiet, by Redis\'s clock', () => {
    const alpha = agentCredential(secret, 'alpha').key;
    // Written half a second ago by Redis's clock, but signed "two minutes ago": the agent's clock is behind.
    const behind = judgeAgent(keys, 'alpha', JSON.stringify(signMessage(alpha, ann('alpha'), now - 500 - 120_000)), fresh, 15_000, now);
    expect(behind).toMatchObject({ state: 'untrusted', untrusted: { reason: 'clock-skew', detail: expect.stringMatching(/clock is 120 s behind the studio's.*NTP/) } });
    expect(judgeAgent(keys, 'alpha', JSON.stringify(signMessage(alpha, ann('alpha'), now - 500 + 60_000)), fresh, 15_000, now)!.untrusted!.detail).toMatch(/60 s ahead of/);
    // Written 20 s ago by Redis's clock and signed then: offline, whatever the clocks.
    expect(judgeAgent(keys, 'alpha', JSON.stringify(signMessage(alpha, ann('alpha'), now - 20_000)), ANNOUNCE_TTL_MS - 20_000, 15_000, now)).toMatchObject({ state: 'offline', untrusted: null });
  });

  it('an agent gone offline runs nothing: the job its last heartbeat listed is not shown as running on it', () => {
    const alpha = agentCredential(secret, 'alpha').key;
    const working = { ...ann('alpha'), running: [{ studioJobId: 15, bullId: 'studio-15-a1', percent: 40 }] };
    expect(judgeAgent(keys, 'alpha', JSON.stringify(signMessage(alpha, working, now - 500)), fresh, 15_000, now)).toMatchObject({ state: 'working', announcement: { running: [{ studioJobId: 15 }] } });
    const gone = judgeAgent(keys, 'alpha', JSON.stringify(signMessage(alpha, working, now - 20_000)), ANNOUNCE_TTL_MS - 20_000, 15_000, now);
    expect(gone).toMatchObject({ state: 'offline', announcement: { running: [] } });
  });
});

describe('a job\'s result', () => {
  const keys = studioKeys(secret);
  const dir = tempDir('church-labresult-');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'out.mp4');
  writeFileSync(file, 'the encoded output');
  const digest = { sha256: createHash('sha256').update('the encoded output').digest('hex'), size: 'the encoded output'.length };
  const result = (host: string, over: Partial<LabJobResult> = {}): LabJobResult => ({ bullId: 'studio-3-a1', host, ...digest, logTail: '', fellBack: false, ...over });
  const check = (value: unknown, takenBy: string | null = 'alpha', distrust: string | null = null) =>
    checkLabResult(keys, { bullId: 'studio-3-a1', takenBy, file, distrust: () => distrust }, value);
  const alpha = agentCredential(secret, 'alpha').key;
  const mallory = agentCredential(secret, 'mallory').key;

  it('is accepted when the agent that took the job signed it over this job id and the file that arrived', async () => {
    expect(await check(signMessage(alpha, result('alpha')))).toMatchObject({ ok: true, result: { host: 'alpha' } });
    // Taken over after a stall, the studio having seen no report yet: the signer is the taker.
    expect((await check(signMessage(alpha, result('alpha')), null)).ok).toBe(true);
  });

  it('is refused unsigned, signed by another agent than the taker, for another job, by an untrusted agent, or over another file', async () => {
    expect(await check({ host: 'evil', logTail: '', fellBack: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/not signed by a lab agent/) });
    expect(await check(signMessage(mallory, result('alpha')))).toMatchObject({ ok: false, reason: expect.stringMatching(/not signed by a lab agent \(bad-signature\)/) });
    expect(await check(signMessage(mallory, result('mallory')))).toMatchObject({ ok: false, reason: expect.stringMatching(/signed by the agent mallory, but alpha took the job/) });
    expect(await check(signMessage(alpha, result('alpha', { bullId: 'studio-4-a1' })))).toMatchObject({ ok: false, reason: expect.stringMatching(/for another job/) });
    expect(await check(signMessage(alpha, result('alpha')), 'alpha', 'its clock is 90 s behind')).toMatchObject({ ok: false, reason: expect.stringMatching(/alpha is not trusted \(its clock/) });
    expect(await check(signMessage(alpha, result('alpha', { sha256: '0'.repeat(64) })))).toMatchObject({ ok: false, reason: expect.stringMatching(/is not the one alpha signed/) });
    expect(await check(signMessage(alpha, result('alpha', { size: digest.size + 1 })))).toMatchObject({ ok: false, reason: expect.stringMatching(/is not the one alpha signed/) });
  });

  it('a progress report names its host only when that agent signed it for this job', () => {
    const p = { bullId: 'studio-3-a1', host: 'alpha', outTimeSec: 1, fps: null, speed: null, end: false };
    expect(openProgress(keys, 'studio-3-a1', signMessage(alpha, p))).toEqual(p);
    expect(openProgress(keys, 'studio-3-a1', p)).toBeNull();
    expect(openProgress(keys, 'studio-3-a1', signMessage(mallory, p))).toBeNull();
    expect(openProgress(keys, 'studio-4-a1', signMessage(alpha, p))).toBeNull();
  });
});
