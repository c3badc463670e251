import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requests, type RequestName } from '../../shared/contract';
import { ACTOR_KINDS, type Actor } from '../../shared/contract/define';
import { createDispatcher } from '../../electron/host/dispatch';
import { wholeContract } from '../../electron/host/wholeContract';
import type { Handlers } from '../../electron/host/handlers/types';
import type { AuditLog } from '../../electron/platform/audit';

const NAMES = Object.keys(requests) as RequestName[];
const ACTORS: Actor[] = ['ui', 'web', 'cli', 'mcp', 'agent:alpha', 'system'];

/**
 * What a local LLM agent holds, written out by hand: the MCP tools' needs and nothing more (read the library,
 * queue jobs, its jobs' status and cancel, the avatar, a read-only subscriber summary, lab status). Widening it
 * means changing this list on purpose, in review.
 */
const MCP_MAY = [
  'audit.append', 'avatar.expressions', 'avatar.getTrack', 'avatar.push', 'avatar.pushScript', 'avatar.saveTrack', 'avatar.state',
  'jobs.cancel', 'jobs.enqueue', 'jobs.get', 'jobs.list', 'jobs.presets', 'killswitch.lastRun', 'lab.status',
  'library.collectionItems', 'library.collections', 'library.get', 'library.roots', 'library.search', 'library.stats', 'library.tags',
  'mcp.getConfig', 'monitor.alerts', 'monitor.current', 'monitor.hosts', 'stripe.metrics', 'stripe.subscribers',
  'system.doctor', 'system.ping',
];
/** Requests only the MCP server itself makes (it records its own tool calls). */
const MCP_ONLY = ['audit.append'];
/**
 * Requests for the owner in person only (the window and the CLI): accepting commands that may run (item 2), and
 * naming a file the studio appends to (the JSON-lines audit file).
 */
const NOT_FOR_THE_BROWSER_TOKEN = ['audit.setFileSettings', 'killswitch.acceptPlan'];

/** A dispatcher over handlers that only record that they ran: the gate is tested without side effects. */
function recordingDispatcher() {
  const ran: string[] = [];
  const handlers = new Proxy({}, { get: (_t, name: string) => () => { ran.push(name); return null; } }) as Handlers;
  const audit = { write: () => undefined } as unknown as AuditLog;
  return { dispatch: createDispatcher(handlers, wholeContract, audit, () => undefined), ran };
}

function allowed(name: RequestName, actor: Actor): boolean {
  if (actor === 'system' || actor.startsWith('agent:')) return false;
  if (actor === 'mcp') return MCP_MAY.includes(name);
  if (actor === 'web' && NOT_FOR_THE_BROWSER_TOKEN.includes(name)) return false;
  return !MCP_ONLY.includes(name);
}

describe('capabilities: every request × every credential', () => {
  it('every request names who may call it, from the known kinds only', () => {
    expect(NAMES.length).toBeGreaterThan(80);
    for (const name of NAMES) {
      const actors = requests[name].actors;
      expect(actors.length, name).toBeGreaterThan(0);
      for (const a of actors) expect(ACTOR_KINDS, name).toContain(a);
    }
  });

  it('the dispatcher refuses each forbidden pair with FORBIDDEN before reading the input, and runs each allowed one', async () => {
    const { dispatch, ran } = recordingDispatcher();
    let checked = 0;
    for (const name of NAMES) {
      for (const actor of ACTORS) {
        ran.length = 0;
        // Garbage input: a refused caller must get FORBIDDEN, not a validation error that describes the schema.
        const r = await dispatch(name, { '!garbage': true }, { actor });
        if (allowed(name, actor)) {
          expect(r.ok ? 'ok' : r.error.code, `${actor} → ${name}`).not.toBe('FORBIDDEN');
        } else {
          expect(r, `${actor} → ${name}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          expect(ran, `${actor} → ${name}`).toEqual([]);
        }
        checked++;
      }
    }
    expect(checked).toBe(NAMES.length * ACTORS.length);
  });

  it('the contract grants MCP exactly the hand-written list, and owners everything but MCP’s own audit call (the browser token not the acceptance of commands)', () => {
    expect(NAMES.filter((n) => requests[n].actors.includes('mcp')).sort()).toEqual([...MCP_MAY].sort());
    expect(NAMES.filter((n) => !requests[n].actors.includes('web') && !MCP_ONLY.includes(n)).sort()).toEqual([...NOT_FOR_THE_BROWSER_TOKEN].sort());
    for (const n of NAMES) {
      for (const owner of ['ui', 'cli'] as const) expect(requests[n].actors.includes(owner), `${owner} → ${n}`).toBe(!MCP_ONLY.includes(n));
      expect(requests[n].actors.includes('web'), `web → ${n}`).toBe(!MCP_ONLY.includes(n) && !NOT_FOR_THE_BROWSER_TOKEN.includes(n));
      expect(requests[n].actors.includes('agent'), n).toBe(false);
    }
  });

  it('a refusal says who was refused and who may call, in words', async () => {
    const { dispatch } = recordingDispatcher();
    const r = await dispatch('killswitch.trigger', {}, { actor: 'mcp' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!r.ok) expect(r.error.message).toBe("killswitch.trigger is not open to an MCP client; only the studio's window, the studio's browser page, the church command may call it");
  });

  it('docs/security.md carries the same table, one row per request', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/security.md'), 'utf8');
    const rows = new Map<string, string>();
    for (const m of doc.matchAll(/^\| `([a-zA-Z]+\.[a-zA-Z]+)` \| ([^|]+) \|/gm)) rows.set(m[1]!, m[2]!.trim());
    expect([...rows.keys()].sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) expect(rows.get(n), n).toBe(requests[n].actors.join(', '));
  });
});
