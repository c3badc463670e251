import type { LocalSnapshot } from './backup';

export type RecoveryChoice = 'restore-newest' | 'start-empty' | 'quit';

/** Why the studio could not start, as the recovery screen (and the CLI's one line) tells it. */
export interface StartFailure {
  kind: 'database' | 'disk-full' | 'other';
  problem: 'corrupt' | 'unreadable' | 'newer-schema' | null;
  title: string;
  /** What broke and what to do, one paragraph (the CLI's line). */
  message: string;
  /**
   * The technical cause for whoever looks into it (the file, what the database or the system said, the commands
   * that do the same from a terminal); the recovery screen keeps it behind a disclosure.
   */
  detail: string;
  /** The recovery choices, in the order offered; `quit` is always last. */
  choices: RecoveryChoice[];
  /** The snapshot `restore-newest` would restore. */
  newest: LocalSnapshot | null;
}

/**
 * Where the studio stands: `ready` (the studio runs), `recovery` (it could not start: the recovery screen),
 * `working` (a restore or a reopen is under way), `quit` (the owner chose to quit; the process is ending).
 */
export interface RecoveryState {
  state: 'ready' | 'recovery' | 'working' | 'quit';
  failure: StartFailure | null;
  /** While working: what is being done, in a person's words. */
  step: string | null;
  /** What the last recovery attempt could not do (the choices are offered again). */
  error: string | null;
  /** Where the previous database went, after a restore or "keep it aside". */
  keptAside: string | null;
}
