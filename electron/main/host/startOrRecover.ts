import { describeStartFailure, newestVerifiedSnapshot, performRecovery, type StartFailure } from '../services/backup';
import { createHost, type Host, type HostOptions } from './createHost';

export type RecoveryChoice = StartFailure['choices'][number];

/** What the desktop shell shows when the host cannot be composed (a dialog there; a fake in tests). */
export interface StartFailureUi {
  /** Shows the failure and resolves with the owner's choice, one of `failure.choices`. */
  choose(failure: StartFailure): Promise<RecoveryChoice>;
  /** Tells what the recovery itself could not do, before the choices are shown again. */
  recoveryFailed(message: string): Promise<void>;
}

/** The button text for each choice, as the recovery screen shows it. */
export function choiceLabel(choice: RecoveryChoice, failure: StartFailure): string {
  switch (choice) {
    case 'restore-newest':
      return failure.newest ? `Restore the snapshot of ${failure.newest.createdAt.replace('T', ' ').slice(0, 16)} UTC` : 'Restore the newest snapshot';
    case 'start-empty':
      return 'Keep it aside and start empty';
    case 'quit':
      return 'Quit';
  }
}

/**
 * Composes the host; when that fails, shows what broke and what to do instead of failing silently. A broken
 * database offers the recovery choices (restore the newest verified snapshot, keep it aside and start empty,
 * quit); anything else (a full disk, an unwritable folder) can only be shown. Resolves with the host, or null
 * when the owner quits (the caller then quits, which releases the single-instance lock; createHost has
 * already released primary.lock and closed what it opened).
 */
export async function startOrRecover(opts: HostOptions, ui: StartFailureUi): Promise<Host | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let failure: StartFailure;
    try {
      return createHost(opts);
    } catch (e) {
      (opts.logError ?? console.error)('the studio could not start', e);
      failure = describeStartFailure(e, opts.dataDir, newestVerifiedSnapshot(opts.dataDir));
    }
    const choice = await ui.choose(failure);
    if (choice === 'quit' || !failure.choices.includes(choice)) return null;
    try {
      performRecovery(choice, opts.dataDir, failure.newest);
    } catch (e) {
      await ui.recoveryFailed(e instanceof Error ? e.message : String(e));
    }
  }
  return null;
}
