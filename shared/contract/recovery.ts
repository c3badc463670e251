import { z } from 'zod';
import { OWNER, event, request } from './define';
import type { RecoveryState } from '../dto/recovery';

/**
 * The recovery screen's contract: what the app shows instead of the studio when its database cannot be used,
 * in the window and in `church serve` alike. Answered while every other request waits for the owner's choice.
 */
export const recoveryRequests = {
  'recovery.status': request<RecoveryState>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Whether the studio runs, or why it could not start and what the owner can do.',
  }),
  'recovery.choose': request<RecoveryState>()({
    actors: OWNER,
    input: z.object({ choice: z.enum(['restore-newest', 'start-empty', 'quit']) }).strict(),
    description: 'Restore the newest verified snapshot, keep the database aside and start empty, or quit; then the studio starts.',
    mutates: true,
  }),
};

export const recoveryEvents = {
  'recovery.progress': event<RecoveryState>('The recovery (or a restore from Settings → Backups) moved on a step, or ended.'),
};
