import type { RequestDef } from '../../shared/contract/define';
import { fail, type Result } from '../../shared/errors';
import { explainDatabaseFailure } from '../domains/backup';
import { createDispatcher, type Dispatch } from './dispatch';
import type { EventHub } from './EventHub';
import type { CallContext, Handlers } from './handlers/types';
import type { HostCore } from './hostCore';
import { SECRET_ENV_VARS, type HostOptions } from './hostOptions';
import { lazyDomains, startAllEngines, type LazyDomains } from './lazyDomains';
import { openHostCore } from './openCore';

/**
 * A host for a command of the CLI (`church list`, `church config get`, `church mcp`, …): the same core, dispatcher
 * and handlers as createHost, but each request loads only its own contract file's schemas and composes only the
 * domains its handlers need; the engines start only when asked (startEngines). A cold `church list` skips most of
 * its start this way (docs/benchmarks.md, cli).
 */
export interface RequestHost {
  dispatch: Dispatch;
  events: EventHub;
  /**
   * Composes every domain and starts the engines (primary process only), as createHost does at once; for a
   * long-running command opened with `startEngines: true` once it is ready to answer. Idempotent.
   */
  startEngines(): Promise<void>;
  /** The contract files whose requests this host has loaded so far, in the order they were first called. */
  loadedGroups(): string[];
  close(): Promise<void>;
}

type Group = 'system' | 'mcp' | 'secrets' | 'audit' | 'recovery' | 'killswitch' | 'library' | 'jobs' | 'monitor' | 'stripe' | 'avatar' | 'backup' | 'lab';

/** A group = one contract file (shared/contract/<group>.ts) = the handlers that answer its requests. */
interface GroupLoader {
  requests(): Promise<Record<string, RequestDef>>;
  handlers(core: HostCore, domains: LazyDomains): Promise<Record<string, unknown>>;
}

const GROUPS: Record<Group, GroupLoader> = {
  system: { requests: async () => (await import('../../shared/contract/system')).systemRequests, handlers: async (core) => (await import('./handlers/system')).systemHandlers(core) },
  mcp: { requests: async () => (await import('../../shared/contract/mcp')).mcpRequests, handlers: async (core) => (await import('./handlers/mcp')).mcpHandlers(core) },
  secrets: {
    requests: async () => (await import('../../shared/contract/secrets')).secretsRequests,
    handlers: async (core) => (await import('./handlers/secrets')).secretsHandlers(core.secrets, SECRET_ENV_VARS),
  },
  audit: { requests: async () => (await import('../../shared/contract/audit')).auditRequests, handlers: async (core) => (await import('./handlers/audit')).auditHandlers(core.audit, core.settings) },
  recovery: { requests: async () => (await import('../../shared/contract/recovery')).recoveryRequests, handlers: async () => (await import('./handlers/recovery')).recoveryHandlers() },
  killswitch: { requests: async () => (await import('../../shared/contract/killswitch')).killswitchRequests, handlers: async (_c, d) => (await d.killswitch()).handlers },
  library: { requests: async () => (await import('../../shared/contract/library')).libraryRequests, handlers: async (_c, d) => (await d.library()).handlers },
  jobs: { requests: async () => (await import('../../shared/contract/jobs')).jobsRequests, handlers: async (_c, d) => (await d.jobs()).handlers },
  monitor: { requests: async () => (await import('../../shared/contract/monitor')).monitorRequests, handlers: async (_c, d) => (await d.monitor()).handlers },
  stripe: { requests: async () => (await import('../../shared/contract/stripe')).stripeRequests, handlers: async (_c, d) => (await d.stripe()).handlers },
  avatar: { requests: async () => (await import('../../shared/contract/avatar')).avatarRequests, handlers: async (_c, d) => (await d.avatar()).handlers },
  backup: { requests: async () => (await import('../../shared/contract/backup')).backupRequests, handlers: async (_c, d) => (await d.backup()).handlers },
  lab: { requests: async () => (await import('../../shared/contract/lab')).labRequests, handlers: async (_c, d) => (await d.lab()).handlers },
};

/**
 * The contract file a request is declared in. Most follow their prefix; the exceptions are the audit trail's
 * and the preferences' requests declared beside the calls that write them (tests/foundation/requestHost.test.ts
 * checks every request of the contract against this).
 */
export function groupOf(name: string): Group | undefined {
  if (name === 'audit.recent' || name.startsWith('preferences.')) return 'system';
  if (name === 'audit.append') return 'mcp';
  const prefix = name.slice(0, name.indexOf('.'));
  return Object.prototype.hasOwnProperty.call(GROUPS, prefix) ? (prefix as Group) : undefined;
}

/** Loads a group's schemas and handlers into the dispatcher's tables, once. */
function groupLoading(core: HostCore, domains: LazyDomains, defs: Map<string, RequestDef>, handlers: Record<string, unknown>, onLoaded: (g: Group) => void) {
  const loading = new Map<Group, Promise<void>>();
  return (group: Group): Promise<void> => {
    let p = loading.get(group);
    if (!p) {
      p = (async () => {
        const [requests, own] = await Promise.all([GROUPS[group].requests(), GROUPS[group].handlers(core, domains)]);
        Object.assign(handlers, own);
        for (const [name, def] of Object.entries(requests)) defs.set(name, def);
        onLoaded(group);
      })();
      // The group is asked for again by the next call; a domain whose composing failed fails the same way again.
      p.catch(() => loading.delete(group));
      loading.set(group, p);
    }
    return p;
  };
}

export function openRequestHost(opts: HostOptions): RequestHost {
  const { core, release } = openHostCore(opts);
  const composed: { close?(): Promise<void> | void }[] = [];
  const domains = lazyDomains(core, (d) => {
    composed.push(d);
    return d;
  });
  const defs = new Map<string, RequestDef>();
  const handlers: Record<string, unknown> = {};
  // As createHost's dispatcher: a damaged page or a newer schema met by a request (or by a domain's first read,
  // its migrations) gets the recovery screen's words.
  const explain = (e: unknown) => explainDatabaseFailure(e, opts.dataDir);
  const inner = createDispatcher(handlers as Handlers, (name) => defs.get(name), core.audit, core.logError, explain);
  const loaded: Group[] = [];
  const load = groupLoading(core, domains, defs, handlers, (g) => loaded.push(g));
  let closed: Promise<void> | null = null;
  let engines: Promise<void> | null = null;
  return {
    events: core.events,
    loadedGroups: () => [...loaded],
    startEngines() {
      if (!opts.startEngines || !core.isPrimary || closed) return Promise.resolve();
      engines ??= startAllEngines(domains);
      return engines;
    },
    async dispatch(name: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>> {
      const group = typeof name === 'string' ? groupOf(name) : undefined;
      if (group) {
        try {
          await load(group);
        } catch (e) {
          const explained = explain(e);
          if (explained) return { ok: false, error: explained.toAppError() };
          core.logError(`the ${group} service could not start`, e);
          return fail('INTERNAL', `the ${group} service could not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        }
      }
      return inner(name, input, ctx);
    },
    close() {
      closed ??= (async () => {
        // Engines still starting finish first, so close() stops what they started.
        await engines?.catch((e: unknown) => core.logError('the engines failed to start', e));
        for (const d of [...composed].reverse()) {
          try {
            await d.close?.();
          } catch (e) {
            core.logError('a service failed to close', e);
          }
        }
        release(true);
      })();
      return closed;
    },
  };
}
