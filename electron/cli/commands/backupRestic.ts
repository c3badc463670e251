import { ChurchError } from '../../../shared/errors';
import { resticFromEnv } from '../../host/offline';
import type { CliContext, StudioClient } from '../command';

export interface ResticForOneCall {
  resticRepository?: string;
  resticPassword?: string;
}

/**
 * What this shell's restic variables give a running studio for one call (church backup, church backups): the
 * studio's own Settings win, as they do for the studio itself. The password travels over the owner-only attach
 * connection for that call alone; the studio neither stores nor logs it. When the studio uses the password it
 * stores, this says so rather than leaving the owner to think theirs was used. This process's own services
 * (no studio running) read the same variables themselves, so nothing is passed then.
 */
export async function resticForOneCall(ctx: CliContext, client: StudioClient): Promise<ResticForOneCall> {
  if (!client.remote) return {};
  const mine = resticFromEnv(ctx.env);
  if (!mine.repository && !mine.passwordFrom) return {};
  const view = await client.call('backup.getSettings', {});
  if (view.restic.repository) {
    if (view.resticPasswordSet) {
      if (mine.passwordFrom) ctx.stderr.write(`church: the running studio uses the restic password stored in it for ${view.restic.repository}; your ${mine.passwordFrom} is not used\n`);
      return {};
    }
    return mine.passwordFrom ? { resticPassword: mine.readPassword() } : {};
  }
  if (mine.repository && !mine.passwordFrom) {
    throw new ChurchError('UNAVAILABLE', 'RESTIC_REPOSITORY is set but no password: set RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND, as for restic itself');
  }
  return { ...(mine.repository ? { resticRepository: mine.repository } : {}), ...(mine.passwordFrom ? { resticPassword: mine.readPassword() } : {}) };
}
