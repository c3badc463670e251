import { LIMITS } from '../../shared/contract/limits';
import { actorKind, type Actor, type RequestDef } from '../../shared/contract/define';
import { ChurchError, fail, ok, type Result } from '../../shared/errors';
import type { AuditLog } from '../platform/audit';
import type { CallContext, Handlers } from './handlers/types';

export type Dispatch = (name: unknown, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/**
 * The contract's definition of a request, or undefined for a name it does not have. A lookup rather than the
 * contract itself: a one-shot command's host loads only the schemas of the domains it calls (requestHost.ts).
 */
export type RequestLookup = (name: string) => RequestDef | undefined;

function byteLength(value: unknown): number | null {
  try {
    const s = JSON.stringify(value ?? null);
    return s === undefined ? 0 : Buffer.byteLength(s);
  } catch {
    return null; // cyclic or BigInt: not a valid message
  }
}

const KIND_WORDS: Record<string, string> = {
  ui: "the studio's window",
  web: "the studio's browser page",
  cli: 'the church command',
  mcp: 'an MCP client',
  agent: 'a lab agent',
  system: 'the studio itself',
};
const describeKind = (kind: string): string => KIND_WORDS[kind] ?? kind;
const describeActor = (actor: string): string => (actor.startsWith('agent:') ? `lab agent ${actor.slice(6)}` : describeKind(actor));

/**
 * The capability check: the request's `actors` against the caller's. Runs before anything else reads the input,
 * so a caller without the right learns nothing from validation errors. Every dispatching front (the host's
 * dispatcher, the recoverable studio's own calls) runs it first.
 */
export function refuseCaller(name: string, def: RequestDef, actor: Actor): Result<never> | null {
  const kind = actorKind(actor);
  if (kind !== 'system' && def.actors.includes(kind)) return null;
  return fail('FORBIDDEN', `${name} is not open to ${describeActor(actor)}; only ${def.actors.map(describeKind).join(', ')} may call it`);
}

/**
 * The single entry for every call from every transport. It never throws: unknown names, oversized or
 * malformed input and handler failures all come back as typed errors, and state-changing calls are audited.
 */
export function createDispatcher(
  handlers: Handlers,
  lookup: RequestLookup,
  audit: AuditLog,
  logError: (msg: string, e: unknown) => void = console.error,
  /** Turns a known failure that is not a ChurchError (a damaged database page) into words for the caller. */
  explain: (e: unknown) => ChurchError | null = () => null,
): Dispatch {
  return async (name, input, ctx) => {
    if (typeof name !== 'string' || name.length === 0) return fail('BAD_MESSAGE', 'a request needs a name (a string)');
    const def = lookup(name);
    if (!def) {
      return fail('UNKNOWN_CHANNEL', `there is no request named "${name.slice(0, 80)}"; the app and its client may be of different versions`);
    }
    const refused = refuseCaller(name, def, ctx.actor);
    if (refused) return refused;
    const size = byteLength(input);
    if (size === null) return fail('BAD_MESSAGE', `the input of ${name} is not plain JSON data`);
    if (size > LIMITS.maxMessageBytes) {
      return fail('TOO_LARGE', `the input of ${name} is ${size} bytes; the limit is ${LIMITS.maxMessageBytes}`);
    }
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      const first = issues[0];
      return fail('INVALID_INPUT', `invalid input for ${name}: ${first ? `${first.path || 'input'}: ${first.message}` : 'rejected'}`, issues);
    }
    const started = performance.now();
    let result: Result<unknown>;
    try {
      const handler = (handlers as Record<string, unknown>)[name] as (input: unknown, ctx: CallContext) => unknown;
      result = ok(await handler(parsed.data, ctx));
    } catch (e) {
      if (e instanceof ChurchError) result = { ok: false, error: e.toAppError() };
      else {
        // An explained failure carries its cause in its message; only the unexpected ones go to the log.
        const explained = explain(e);
        if (!explained) logError(`request ${name} failed`, e);
        result = explained ? { ok: false, error: explained.toAppError() } : fail('INTERNAL', `${name} failed unexpectedly; the details are in the app log`);
      }
    }
    if (def.mutates) {
      try {
        audit.write({
          actor: ctx.actor,
          action: name,
          input: parsed.data,
          ok: result.ok,
          errorCode: result.ok ? null : result.error.code,
          durationMs: performance.now() - started,
        });
      } catch (e) {
        logError(`audit write failed for ${name}`, e);
      }
    }
    return result;
  };
}
