import { resolve } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import { writeNewLabSecret } from '../../host/offline';
import type { CliContext, ParsedArgs } from '../command';

export const LAB_SECRET_USAGE = 'church lab secret --new FILE   (32 random bytes, mode 0600; never overwrites a file)';

/**
 * `church lab secret --new FILE`: a fresh lab secret for the studio and its agents. Runs without a studio (on an
 * agent's host too); refuses a path inside the data dir and an existing file.
 */
export function runLabSecret(ctx: CliContext, args: ParsedArgs): number {
  const target = args.values.new;
  if (typeof target !== 'string' || args.positionals.length > 1) throw new ChurchError('INVALID_INPUT', `usage: ${LAB_SECRET_USAGE}`);
  const file = writeNewLabSecret(resolve(target), [ctx.dataDir]);
  ctx.print({ file, bytes: 32, mode: '0600' }, () =>
    [`✓ wrote a new lab secret to ${file} (32 random bytes, readable by you only)`, `  copy it to each agent's host (same mode), then: church agent --lab redis://HOST:6379 --secret-file ${file}`, `  and in the studio: Settings → Lab → Lab secret file, or --lab-secret-file ${file}`].join('\n'),
  );
  return 0;
}
