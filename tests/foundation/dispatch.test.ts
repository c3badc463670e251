import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/contract';
import { ChurchError } from '../../shared/errors';
import { createDispatcher } from '../../electron/host/dispatch';
import { wholeContract } from '../../electron/host/wholeContract';
import { testHost } from '../helpers/host';

describe('dispatcher', () => {
  const host = testHost({ startEngines: false });
  const ctx = { actor: 'cli' as const };

  it('round-trips a valid call', async () => {
    const r = await host.dispatch('system.ping', { echo: 'hi' }, ctx);
    expect(r).toMatchObject({ ok: true, value: { pong: true, echo: 'hi' } });
  });

  it('fills schema defaults for omitted input', async () => {
    const r = await host.dispatch('system.ping', undefined, ctx);
    expect(r).toMatchObject({ ok: true, value: { echo: '' } });
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an empty string', ''],
    ['an object', { name: 'system.ping' }],
  ])('refuses a name that is %s with BAD_MESSAGE', async (_label, name) => {
    const r = await host.dispatch(name, {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('refuses unknown channels, including prototype keys', async () => {
    for (const name of ['nope.nothing', '__proto__', 'constructor', 'toString', 'system.ping ']) {
      const r = await host.dispatch(name, {}, ctx);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('refuses input that fails the schema, naming the field', async () => {
    const r = await host.dispatch('system.ping', { echo: 7 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toContain('echo');
    }
    const extra = await host.dispatch('system.ping', { echo: 'x', smuggled: true }, ctx);
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses oversized input before parsing it', async () => {
    const r = await host.dispatch('system.ping', { echo: 'x'.repeat(LIMITS.maxMessageBytes + 10) }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
  });

  it('refuses input that is not plain data', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await host.dispatch('system.ping', cyclic, ctx)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await host.dispatch('system.ping', { echo: 10n }, ctx)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('turns handler failures into typed errors without leaking internals', async () => {
    const logged: string[] = [];
    const dispatch = createDispatcher(
      {
        ...host.handlers,
        'system.ping': () => {
          throw new Error('secret internal detail at /home/x/file.ts:12');
        },
        'audit.recent': () => {
          throw new ChurchError('NOT_FOUND', 'nothing here');
        },
      },
      wholeContract,
      host.audit,
      (msg) => logged.push(msg),
    );
    const boom = await dispatch('system.ping', {}, ctx);
    expect(boom).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!boom.ok) expect(boom.error.message).not.toContain('secret internal detail');
    expect(logged).toEqual(['request system.ping failed']);
    expect(await dispatch('audit.recent', {}, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'nothing here' } });
  });

  it('audits state-changing calls, success and failure, and not reads', async () => {
    const before = host.audit.recent(500).length;
    await host.dispatch('system.ping', {}, ctx);
    expect(host.audit.recent(500).length).toBe(before);
    const set = await host.dispatch('preferences.set', { theme: 'light' }, { actor: 'web' });
    expect(set).toMatchObject({ ok: true, value: { theme: 'light', density: 'comfortable' } });
    const [last] = host.audit.recent(1);
    expect(last).toMatchObject({ actor: 'web', action: 'preferences.set', ok: true, errorCode: null });
    expect(JSON.parse(last!.input)).toEqual({ theme: 'light' });
    const get = await host.dispatch('preferences.get', {}, ctx);
    expect(get).toMatchObject({ ok: true, value: { theme: 'light' } });
  });
});
