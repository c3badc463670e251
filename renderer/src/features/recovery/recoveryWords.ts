import type { RecoveryChoice, StartFailure } from '../../../../shared/dto/recovery';
import { localDateTime } from '../../lib/localTime';

/** The recovery screen in the owner's words: what happened, what is safe, what to do. */
export interface RecoveryWords {
  happened: string;
  safe: string;
  todo: string;
}

function happened(f: StartFailure): string {
  if (f.kind === 'disk-full') return 'The disk that holds the studio\'s data is full, so the studio cannot start.';
  if (f.kind === 'other') return 'Something stopped the studio from starting.';
  switch (f.problem) {
    case 'newer-schema':
      return 'Your library was last opened by a newer version of the studio, and this version cannot read it.';
    case 'unreadable':
      return 'The studio is not allowed to open the file that holds your library (its owner or permissions have changed).';
    default:
      return 'The file that holds your library (titles, tags, ratings, collections, jobs) is damaged, so the studio cannot open it.';
  }
}

function todo(f: StartFailure): string {
  if (f.kind === 'disk-full') return 'Free some space on that disk, then start the studio again.';
  if (f.kind === 'other') return 'Start the studio again. If it happens again, the details below tell whoever helps you what went wrong.';
  const first = f.problem === 'newer-schema' ? 'Install the newer version again, or choose below. ' : f.problem === 'unreadable' ? 'Check who owns the file, or choose below. ' : '';
  const restore = f.newest
    ? `Restoring brings your library back as it was on ${localDateTime(f.newest.createdAt)}; changes made after that are lost.`
    : 'There is no snapshot to restore.';
  return `${first}${restore} Starting empty gives you a new, empty library.`;
}

export function recoveryWords(f: StartFailure): RecoveryWords {
  const safe =
    f.kind === 'database'
      ? 'Your video files are not touched. Whatever you choose, the current file is kept aside, never deleted.'
      : 'Nothing was changed: your videos and your library are as they were.';
  return { happened: happened(f), safe, todo: todo(f) };
}

/** A choice's button, in words. */
export function choiceLabel(choice: RecoveryChoice, f: StartFailure): string {
  switch (choice) {
    case 'restore-newest':
      return f.newest ? `Restore the snapshot of ${localDateTime(f.newest.createdAt)}` : 'Restore the newest snapshot';
    case 'start-empty':
      return 'Keep it aside and start empty';
    case 'quit':
      return 'Quit';
  }
}
