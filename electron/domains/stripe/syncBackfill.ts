import type { StripeObjectType } from '../../../shared/dto/stripe';
import { classifyError } from './api';
import { OBJECT_TYPES } from './store';
import { PAGE, SyncStopped, type EventCursor, type SyncRun, type TypeProgress } from './syncRun';

interface TypeBackfill {
  after: string | null;
  done: boolean;
  forbidden: boolean;
  fetched: number;
}

/** A backfill in progress, kept in stripe_state so a failed or cancelled one resumes where it stopped. */
export interface BackfillState {
  startedAt: string;
  cursor: EventCursor | null;
  eventsForbidden: boolean;
  types: Record<StripeObjectType, TypeBackfill>;
}

/**
 * Lists every object type into the stage table (resuming `resume` when given), then swaps the complete types
 * into the live table and sets the event cursor taken at the start, in one transaction.
 */
export async function backfill(run: SyncRun, resume: BackfillState | null): Promise<void> {
  const state = resume ?? (await startBackfill(run));
  restoreProgress(run, state);
  run.emit();
  for (const pt of run.progressTypes) {
    const s = state.types[pt.type];
    if (s.done) continue;
    await listType(run, state, pt);
    s.done = true;
    if (pt.state === 'running') pt.state = 'done';
    run.store.setStateValue('backfill', state);
  }
  commitBackfill(run, state);
}

/** A fresh backfill: an empty stage and the event cursor as of now, saved before any listing. */
async function startBackfill(run: SyncRun): Promise<BackfillState> {
  const { store, api, signal, deps } = run;
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
  const state: BackfillState = {
    startedAt: new Date(run.started).toISOString(),
    cursor,
    eventsForbidden,
    types: Object.fromEntries(OBJECT_TYPES.map((t) => [t, { after: null, done: false, forbidden: false, fetched: 0 }])) as BackfillState['types'],
  };
  store.setStateValue('backfill', state);
  return state;
}

/** Shows what a resumed backfill had already done (a fresh one shows nothing done). */
function restoreProgress(run: SyncRun, state: BackfillState): void {
  if (state.eventsForbidden) run.addMissing('event', null);
  for (const pt of run.progressTypes) {
    const s = state.types[pt.type];
    pt.fetched = s.fetched;
    pt.state = s.forbidden ? 'forbidden' : s.done ? 'done' : 'pending';
    if (s.forbidden) run.addMissing(pt.type, null);
  }
}

/** Lists one type page by page into the stage, saving the resume point after each page. */
async function listType(run: SyncRun, state: BackfillState, pt: TypeProgress): Promise<void> {
  const { store, api, signal } = run;
  const s = state.types[pt.type];
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
        run.addMissing(pt.type, f.permission);
        return;
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
    run.objects[pt.type] = s.fetched;
    const last = page.data[page.data.length - 1];
    if (last) s.after = last.id;
    store.setStateValue('backfill', state);
    run.emit();
    if (!page.has_more || !last) return;
  }
}

function commitBackfill(run: SyncRun, state: BackfillState): void {
  const { store } = run;
  const complete = OBJECT_TYPES.filter((t) => state.types[t].done && !state.types[t].forbidden);
  store.transaction(() => {
    store.swapFromStage(complete);
    store.clearStage();
    store.setStateValue('cursor', state.cursor);
    store.setStateValue('backfill', null);
  });
}
