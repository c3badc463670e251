import type { MissingPermission, StripeObjectType, SyncProgress, SyncReport } from '../../../shared/dto/stripe';
import type { StripeApi, StripeFailure } from './api';
import { permissionFor, scrubKeys } from './keys';
import { OBJECT_TYPES, type StripeStore } from './store';

/** Objects or events asked for per list request (Stripe's maximum). */
export const PAGE = 100;

/** The newest event second already applied and the event ids seen in that second (events share seconds). */
export interface EventCursor {
  created: number;
  ids: string[];
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

export type TypeRunState = 'pending' | 'running' | 'done' | 'forbidden' | 'failed';

export interface TypeProgress {
  type: StripeObjectType;
  fetched: number;
  state: TypeRunState;
}

/** Thrown to end a run with an already classified failure. */
export class SyncStopped extends Error {
  constructor(readonly failure: StripeFailure) {
    super(failure.message);
  }
}

/**
 * What one sync run has done so far: the counts it reports as progress while it runs and as the report at the end.
 * The incremental and backfill steps write to it; `emit` and `finish` read it.
 */
export class SyncRun {
  readonly started: number;
  kind: SyncReport['kind'] = 'incremental';
  events = 0;
  fellBack: string | null = null;
  readonly objects: Partial<Record<StripeObjectType, number>> = {};
  readonly missingPermissions: MissingPermission[] = [];
  readonly progressTypes: TypeProgress[] = OBJECT_TYPES.map((type) => ({ type, fetched: 0, state: 'pending' as TypeRunState }));

  constructor(readonly deps: SyncRunDeps) {
    this.started = deps.now();
  }

  get store(): StripeStore {
    return this.deps.store;
  }

  get api(): StripeApi {
    return this.deps.api;
  }

  get signal(): AbortSignal {
    return this.deps.signal;
  }

  /** Records a permission the key lacks; `fromStripe` is the permission Stripe named, when it named one. */
  addMissing(type: StripeObjectType | 'event', fromStripe: string | null): void {
    const p = permissionFor(type);
    this.missingPermissions.push({ type, permission: fromStripe ?? p.permission, label: p.label });
  }

  emit(): void {
    const { api } = this;
    const secs = Math.max(0.001, (this.deps.now() - this.started) / 1000);
    const total = this.progressTypes.reduce((n, t) => n + t.fetched, 0) + this.events;
    this.deps.onProgress({
      running: true,
      kind: this.kind,
      startedAt: new Date(this.started).toISOString(),
      types: this.progressTypes.map((t) => ({ ...t })),
      events: this.events,
      requests: api.requests,
      requestRate: Math.round((api.requests / secs) * 10) / 10,
      objectRate: Math.round(total / secs),
      retries: api.retries,
    });
  }

  finish(outcome: SyncReport['outcome'], message: string | null): SyncReport {
    const finished = this.deps.now();
    const missing = this.missingPermissions;
    return {
      ok: outcome === 'synced' || outcome === 'partial',
      outcome,
      kind: this.kind,
      startedAt: new Date(this.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - this.started,
      requests: this.api.requests,
      retries: this.api.retries,
      events: this.events,
      objects: this.objects,
      // The events permission can be found missing twice in one run (incremental, then the backfill's cursor).
      missingPermissions: missing.filter((m, i) => missing.findIndex((x) => x.permission === m.permission) === i),
      fellBackToBackfill: this.fellBack,
      message: message === null ? null : scrubKeys(message),
    };
  }
}
