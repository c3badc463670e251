import { classifyError } from './api';
import { applyEvent, type StripeEventJson } from './applyEvent';
import { scrubKeys } from './keys';
import { PAGE, SyncStopped, type EventCursor, type SyncRun } from './syncRun';

/**
 * The most events an incremental run holds before applying them (they are applied oldest first, in one
 * transaction, so they are all read first). A busy account can pile up far more in 30 days; past this a
 * backfill, which streams each type page by page into the stage table, is the cheaper way to catch up.
 */
export const MAX_INCREMENTAL_EVENTS = 50_000;

/**
 * Reads every event since the cursor, then applies them oldest first in one transaction. Answers 'done', or why
 * the run must fall back to a backfill.
 */
export async function incremental(run: SyncRun, cursor: EventCursor): Promise<'done' | string> {
  const fetched = await readEventsSince(run, cursor);
  if (typeof fetched === 'string') return fetched;
  applyFresh(run, cursor, fetched);
  return 'done';
}

/** Every event from the cursor's second on, newest first as Stripe lists them; or the reason to fall back. */
async function readEventsSince(run: SyncRun, cursor: EventCursor): Promise<StripeEventJson[] | string> {
  const maxEvents = run.deps.maxIncrementalEvents ?? MAX_INCREMENTAL_EVENTS;
  const fetched: StripeEventJson[] = [];
  let after: string | undefined;
  for (;;) {
    let page;
    try {
      page = await run.api.events({ limit: PAGE, created: { gte: cursor.created }, ...(after ? { starting_after: after } : {}) });
    } catch (e) {
      const f = classifyError(e, run.signal);
      if (f.kind === 'permission') {
        run.addMissing('event', f.permission);
        return 'the key can no longer read events (Events: Read)';
      }
      if (f.kind === 'invalid') return `Stripe refused the event cursor (${scrubKeys(f.message)})`;
      throw new SyncStopped(f);
    }
    fetched.push(...(page.data as unknown as StripeEventJson[]));
    run.events = fetched.length;
    run.emit();
    if (page.has_more && fetched.length >= maxEvents) {
      run.events = 0; // nothing was applied
      return `more than ${maxEvents.toLocaleString('en-US')} events since the last sync; a backfill catches up without holding them all in memory`;
    }
    if (!page.has_more || page.data.length === 0) break;
    after = page.data[page.data.length - 1]?.id;
  }
  return fetched;
}

/** Applies the events not yet seen, oldest first, and moves the cursor past them, all in one transaction. */
function applyFresh(run: SyncRun, cursor: EventCursor, fetched: StripeEventJson[]): void {
  const { store, objects } = run;
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
  run.events = fresh.length;
}
