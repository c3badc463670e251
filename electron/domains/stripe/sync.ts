import type { MissingPermission, SyncReport } from '../../../shared/dto/stripe';
import { classifyError, type StripeFailure } from './api';
import { backfill, type BackfillState } from './syncBackfill';
import { incremental } from './syncIncremental';
import { SyncRun, SyncStopped, type EventCursor, type SyncRunDeps } from './syncRun';

export { MAX_INCREMENTAL_EVENTS } from './syncIncremental';
export type { EventCursor, SyncRunDeps } from './syncRun';

/** Stripe keeps events for 30 days; a cursor older than that cannot be caught up through the Events API. */
export const EVENT_RETENTION_SEC = 30 * 24 * 3600;

/** One sync run: incremental through events when a fresh cursor exists, else a (resumable) backfill. */
export async function runSync(deps: SyncRunDeps, opts: { full: boolean }): Promise<SyncReport> {
  const run = new SyncRun(deps);
  try {
    const cursor = deps.store.state<EventCursor>('cursor');
    const resuming = deps.store.state<BackfillState>('backfill');
    const report = await tryIncremental(run, { full: opts.full, cursor, resuming });
    if (report) return report;
    run.kind = 'backfill';
    await backfill(run, opts.full || !resuming ? null : resuming);
    return finishSynced(run);
  } catch (e) {
    const failure = e instanceof SyncStopped ? e.failure : classifyError(e, deps.signal);
    for (const t of run.progressTypes) if (t.state === 'running') t.state = 'failed';
    return finishFailed(run, failure);
  }
}

/**
 * Catches up through events when the cursor allows it and answers the report; answers null when a backfill is
 * needed instead, with the reason in `run.fellBack` when the user would expect an incremental run.
 */
async function tryIncremental(
  run: SyncRun,
  { full, cursor, resuming }: { full: boolean; cursor: EventCursor | null; resuming: BackfillState | null },
): Promise<SyncReport | null> {
  const { store, deps } = run;
  if (!full && cursor && !resuming) {
    const nowSec = Math.floor(deps.now() / 1000);
    if (cursor.created < nowSec - EVENT_RETENTION_SEC) {
      run.fellBack = 'the last sync is older than the 30 days Stripe keeps events';
    } else {
      const result = await incremental(run, cursor);
      if (result === 'done') return finishSynced(run);
      run.fellBack = result;
    }
  } else if (!cursor && !resuming && !full && store.state<string>('lastGoodSyncAt')) {
    run.fellBack = 'the key cannot read events (Events: Read), so every sync is a full one';
  }
  return null;
}

/** Synced, or partial when the key may not read some types. */
function finishSynced(run: SyncRun): SyncReport {
  const gap = run.missingPermissions.length > 0;
  return run.finish(gap ? 'partial' : 'synced', gap ? permissionMessage(run.missingPermissions) : null);
}

function finishFailed(run: SyncRun, failure: StripeFailure): SyncReport {
  switch (failure.kind) {
    case 'cancelled':
      return run.finish('cancelled', 'cancelled; the last good data is kept and the next sync continues from where this one stopped');
    case 'auth':
      return run.finish(
        'key-rejected',
        `Stripe rejected the key (${failure.message}): it was revoked, rolled or mistyped. Create a new restricted key and paste it in Settings → Stripe; the data synced before is kept.`,
      );
    case 'connection':
      return run.finish('failed', `lost the connection to Stripe (${failure.message}); the last good data is kept and the next sync resumes where this one stopped`);
    case 'rate':
      return run.finish('failed', `Stripe kept answering "too many requests" after ${run.api.retries} retries; lower the request rate in Settings → Stripe and sync again`);
    default:
      return run.finish('failed', `the sync stopped: ${failure.message}; the last good data is kept and the next sync resumes where this one stopped`);
  }
}

export function permissionMessage(missing: MissingPermission[]): string {
  const labels = [...new Set(missing.map((m) => `${m.label} (${m.permission})`))];
  return `synced everything the key may read; add ${labels.join(', ')} to the restricted key in the Stripe Dashboard (Developers → API keys → edit the key) to sync the rest`;
}
