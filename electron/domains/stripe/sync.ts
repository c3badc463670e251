import type { MissingPermission, StripeObjectType, SyncProgress, SyncReport } from '../../../shared/dto/stripe';
import { classifyError, type StripeApi, type StripeFailure } from './api';
import { applyEvent, type StripeEventJson } from './applyEvent';
import { permissionFor, scrubKeys } from './keys';
import { OBJECT_TYPES, type StripeStore } from './store';

/** Stripe keeps events for 30 days; a cursor older than that cannot be caught up through the Events API. */
export const EVENT_RETENTION_SEC = 30 * 24 * 3600;
const PAGE = 100;
/**
 * The most events an incremental run holds before applying them (they are applied oldest first, in one
 * transaction, so they are all read first). A busy account can pile up far more in 30 days; past this a
 * backfill, which streams each type page by page into the stage table, is the cheaper way to catch up.
 */
export const MAX_INCREMENTAL_EVENTS = 50_000;

/** The newest event second already applied and the event ids seen in that second (events share seconds). */
export interface EventCursor {
  created: number;
  ids: string[];
}

/** A backfill in progress, kept in stripe_state so a failed or cancelled one resumes where it stopped. */
interface BackfillState {
  startedAt: string;
  cursor: EventCursor | null;
  eventsForbidden: boolean;
  types: Record<StripeObjectType, { after: string | null; done: boolean; forbidden: boolean; fetched: number }>;
}

export interface SyncRunDeps {
  store: StripeStore;
  api: StripeApi;
  signal: AbortSignal;
  now: () => number;
  onProgress: (p: SyncProgress) => void;
  /** MAX_INCREMENTAL_EVENTS unless set; tests lower it. */
  maxIncrementalEvents?: number;
}

class SyncStopped extends Error {
  constructor(readonly failure: StripeFailure) {
    super(failure.message);
  }
}

function missing(type: StripeObjectType | 'event', fromStripe: string | null): MissingPermission {
  const p = permissionFor(type);
  return { type, permission: fromStripe ?? p.permission, label: p.label };
}

/** One sync run: incremental through events when a fresh cursor exists, else a (resumable) backfill. */
export async function runSync(deps: SyncRunDeps, opts: { full: boolean }): Promise<SyncReport> {
  const { store, api, signal } = deps;
  const started = deps.now();
  const objects: Partial<Record<StripeObjectType, number>> = {};
  const missingPermissions: MissingPermission[] = [];
  let kind: SyncReport['kind'] = 'incremental';
  let events = 0;
  let fellBack: string | null = null;
  const progressTypes = OBJECT_TYPES.map((type) => ({ type, fetched: 0, state: 'pending' as 'pending' | 'running' | 'done' | 'forbidden' | 'failed' }));

  const emit = () => {
    const secs = Math.max(0.001, (deps.now() - started) / 1000);
    const total = progressTypes.reduce((n, t) => n + t.fetched, 0) + events;
    deps.onProgress({
      running: true,
      kind,
      startedAt: new Date(started).toISOString(),
      types: progressTypes.map((t) => ({ ...t })),
      events,
      requests: api.requests,
      requestRate: Math.round((api.requests / secs) * 10) / 10,
      objectRate: Math.round(total / secs),
      retries: api.retries,
    });
  };

  const finish = (outcome: SyncReport['outcome'], message: string | null): SyncReport => {
    const finished = deps.now();
    return {
      ok: outcome === 'synced' || outcome === 'partial',
      outcome,
      kind,
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      requests: api.requests,
      retries: api.retries,
      events,
      objects,
      // The events permission can be found missing twice in one run (incremental, then the backfill's cursor).
      missingPermissions: missingPermissions.filter((m, i) => missingPermissions.findIndex((x) => x.permission === m.permission) === i),
      fellBackToBackfill: fellBack,
      message: message === null ? null : scrubKeys(message),
    };
  };

  try {
    const cursor = store.state<EventCursor>('cursor');
    const resuming = store.state<BackfillState>('backfill');
    if (!opts.full && cursor && !resuming) {
      const nowSec = Math.floor(deps.now() / 1000);
      if (cursor.created < nowSec - EVENT_RETENTION_SEC) {
        fellBack = 'the last sync is older than the 30 days Stripe keeps events';
      } else {
        const result = await incremental(cursor);
        if (result === 'done') {
          const permissionGap = missingPermissions.length > 0;
          return finish(permissionGap ? 'partial' : 'synced', permissionGap ? permissionMessage(missingPermissions) : null);
        }
        fellBack = result;
      }
    } else if (!cursor && !resuming && !opts.full && store.state<string>('lastGoodSyncAt')) {
      fellBack = 'the key cannot read events (Events: Read), so every sync is a full one';
    }
    kind = 'backfill';
    await backfill(opts.full || !resuming ? null : resuming);
    const outcome = missingPermissions.length ? 'partial' : 'synced';
    return finish(outcome, outcome === 'partial' ? permissionMessage(missingPermissions) : null);
  } catch (e) {
    const failure = e instanceof SyncStopped ? e.failure : classifyError(e, signal);
    for (const t of progressTypes) if (t.state === 'running') t.state = 'failed';
    switch (failure.kind) {
      case 'cancelled':
        return finish('cancelled', 'cancelled; the last good data is kept and the next sync continues from where this one stopped');
      case 'auth':
        return finish(
          'key-rejected',
          `Stripe rejected the key (${failure.message}): it was revoked, rolled or mistyped. Create a new restricted key and paste it in Settings → Stripe; the data synced before is kept.`,
        );
      case 'connection':
        return finish('failed', `lost the connection to Stripe (${failure.message}); the last good data is kept and the next sync resumes where this one stopped`);
      case 'rate':
        return finish('failed', `Stripe kept answering "too many requests" after ${api.retries} retries; lower the request rate in Settings → Stripe and sync again`);
      default:
        return finish('failed', `the sync stopped: ${failure.message}; the last good data is kept and the next sync resumes where this one stopped`);
    }
  }

  /** Reads every event since the cursor, then applies them oldest first in one transaction. */
  async function incremental(cursor: EventCursor): Promise<'done' | string> {
    const maxEvents = deps.maxIncrementalEvents ?? MAX_INCREMENTAL_EVENTS;
    const fetched: StripeEventJson[] = [];
    let after: string | undefined;
    for (;;) {
      let page;
      try {
        page = await api.events({ limit: PAGE, created: { gte: cursor.created }, ...(after ? { starting_after: after } : {}) });
      } catch (e) {
        const f = classifyError(e, signal);
        if (f.kind === 'permission') {
          missingPermissions.push(missing('event', f.permission));
          return 'the key can no longer read events (Events: Read)';
        }
        if (f.kind === 'invalid') return `Stripe refused the event cursor (${scrubKeys(f.message)})`;
        throw new SyncStopped(f);
      }
      fetched.push(...(page.data as unknown as StripeEventJson[]));
      events = fetched.length;
      emit();
      if (page.has_more && fetched.length >= maxEvents) {
        events = 0; // nothing was applied
        return `more than ${maxEvents.toLocaleString('en-US')} events since the last sync; a backfill catches up without holding them all in memory`;
      }
      if (!page.has_more || page.data.length === 0) break;
      after = page.data[page.data.length - 1]?.id;
    }
    const seen = new Set(cursor.ids);
    // Stripe lists events newest first, also within one second: reverse, then a stable sort by time.
    const fresh = fetched
      .filter((ev) => !seen.has(ev.id))
      .reverse()
      .sort((a, b) => a.created - b.created);
    let next: EventCursor = cursor;
    store.transaction(() => {
      for (const ev of fresh) {
        const type = applyEvent(store, ev);
        if (type) objects[type] = (objects[type] ?? 0) + 1;
        next = ev.created > next.created ? { created: ev.created, ids: [ev.id] } : { created: next.created, ids: [...next.ids, ev.id] };
      }
      store.setStateValue('cursor', next);
    });
    events = fresh.length;
    return 'done';
  }

  async function backfill(resume: BackfillState | null): Promise<void> {
    let state: BackfillState;
    if (resume) {
      state = resume;
    } else {
      store.clearStage();
      let cursor: EventCursor | null = null;
      let eventsForbidden = false;
      // The cursor is taken before listing, so whatever changes during the backfill is caught by the next run.
      try {
        const newest = await api.events({ limit: 1 });
        const first = newest.data[0];
        cursor = first ? { created: first.created ?? Math.floor(deps.now() / 1000), ids: [first.id] } : { created: Math.floor(deps.now() / 1000), ids: [] };
      } catch (e) {
        const f = classifyError(e, signal);
        if (f.kind !== 'permission') throw new SyncStopped(f);
        eventsForbidden = true;
      }
      state = {
        startedAt: new Date(started).toISOString(),
        cursor,
        eventsForbidden,
        types: Object.fromEntries(OBJECT_TYPES.map((t) => [t, { after: null, done: false, forbidden: false, fetched: 0 }])) as BackfillState['types'],
      };
      store.setStateValue('backfill', state);
    }
    if (state.eventsForbidden) missingPermissions.push(missing('event', null));
    for (const pt of progressTypes) {
      const s = state.types[pt.type];
      pt.fetched = s.fetched;
      pt.state = s.forbidden ? 'forbidden' : s.done ? 'done' : 'pending';
      if (s.forbidden) missingPermissions.push(missing(pt.type, null));
    }
    emit();

    for (const pt of progressTypes) {
      const s = state.types[pt.type];
      if (s.done) continue;
      pt.state = 'running';
      for (;;) {
        if (signal.aborted) throw new SyncStopped({ kind: 'cancelled', message: 'cancelled' });
        let page;
        try {
          page = await api.list(pt.type, { limit: PAGE, ...(s.after ? { starting_after: s.after } : {}) });
        } catch (e) {
          const f = classifyError(e, signal);
          if (f.kind === 'permission') {
            s.forbidden = true;
            pt.state = 'forbidden';
            missingPermissions.push(missing(pt.type, f.permission));
            break;
          }
          if (f.kind === 'invalid' && s.after) {
            // The object the resume cursor points at is gone: list this type again from the start.
            store.db.prepare('DELETE FROM stripe_stage WHERE type = ?').run(pt.type);
            s.after = null;
            s.fetched = 0;
            continue;
          }
          throw new SyncStopped(f);
        }
        store.stage(pt.type, page.data);
        s.fetched += page.data.length;
        pt.fetched = s.fetched;
        objects[pt.type] = s.fetched;
        const last = page.data[page.data.length - 1];
        if (last) s.after = last.id;
        store.setStateValue('backfill', state);
        emit();
        if (!page.has_more || !last) break;
      }
      s.done = true;
      if (pt.state === 'running') pt.state = 'done';
      store.setStateValue('backfill', state);
    }

    const complete = OBJECT_TYPES.filter((t) => state.types[t].done && !state.types[t].forbidden);
    store.transaction(() => {
      store.swapFromStage(complete);
      store.clearStage();
      store.setStateValue('cursor', state.cursor);
      store.setStateValue('backfill', null);
    });
  }
}

export function permissionMessage(missing: MissingPermission[]): string {
  const labels = [...new Set(missing.map((m) => `${m.label} (${m.permission})`))];
  return `synced everything the key may read; add ${labels.join(', ')} to the restricted key in the Stripe Dashboard (Developers → API keys → edit the key) to sync the rest`;
}
