import type { ResticSettings } from '../../../shared/dto/backup';

/** Every snapshot the studio makes carries this tag; retention and listing look only at these. */
export const RESTIC_TAG = 'church-studio';
export const LOCAL_TAG_PREFIX = 'local:';

export const buildInitArgs = (): string[] => ['init'];
export const buildSnapshotsArgs = (): string[] => ['snapshots', '--json', '--tag', RESTIC_TAG];

/** Backs up the snapshot folder's contents (run with the folder as cwd, so the repository holds `studio.sqlite` at its root). */
export function buildBackupArgs(localId: string, takenAt?: Date): string[] {
  const args = ['backup', '--json', '--tag', RESTIC_TAG, '--tag', `${LOCAL_TAG_PREFIX}${localId}`];
  // The restic snapshot carries the moment the local snapshot was taken, so retention counts days of data.
  if (takenAt) args.push('--time', resticTime(takenAt));
  args.push('.');
  return args;
}

/** restic's `--time` format, in the local time zone (restic parses it in the same TZ). */
export function resticTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Retention over the studio's snapshots of this host. Grouped by host only: each snapshot has its own
 * `local:` tag and its own folder path, so grouping by tags or paths would make every snapshot a group of one.
 * Null when every count is 0 (restic refuses a forget without a policy, and it would mean "keep all").
 */
export function buildForgetArgs(r: Pick<ResticSettings, 'keepDaily' | 'keepWeekly' | 'keepMonthly'>): string[] | null {
  if (r.keepDaily + r.keepWeekly + r.keepMonthly === 0) return null;
  const args = ['forget', '--json', '--prune', '--tag', RESTIC_TAG, '--group-by', 'host'];
  if (r.keepDaily) args.push('--keep-daily', String(r.keepDaily));
  if (r.keepWeekly) args.push('--keep-weekly', String(r.keepWeekly));
  if (r.keepMonthly) args.push('--keep-monthly', String(r.keepMonthly));
  return args;
}

export const buildCheckArgs = (): string[] => ['check'];
export const buildRestoreArgs = (snapshotId: string, target: string): string[] => ['restore', snapshotId, '--target', target];

/**
 * What restic may see of the studio's environment: enough to run and reach the repository (PATH, HOME, an ssh
 * agent for sftp, the cloud credentials restic itself reads) and never the studio's own secrets (Stripe key,
 * SMTP password). The repository and its password are added by the caller, for restic alone.
 */
const PASSED = /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|SYSTEMROOT|USERPROFILE|APPDATA|LOCALAPPDATA|XDG_CACHE_HOME|SSH_AUTH_SOCK|RESTIC_CACHE_DIR|RESTIC_REST_USERNAME|RESTIC_REST_PASSWORD|AWS_[A-Z_]+|B2_[A-Z_]+|AZURE_[A-Z_]+|GOOGLE_[A-Z_]+|OS_[A-Z_]+|ST_[A-Z]+)$/;

export interface ResticEnvironment {
  /** What restic sees of the studio's environment, secrets filtered out by runProcess as for every child. */
  env: NodeJS.ProcessEnv;
  /**
   * The credentials restic reads from its environment (RESTIC_PASSWORD, RESTIC_REST_PASSWORD, AWS_SECRET_ACCESS_KEY,
   * B2_ACCOUNT_KEY, …): handed to restic alone through runProcess's secretEnv, after the filter, so they reach
   * it instead of being stripped as any child's credential would be.
   */
  secretEnv: Record<string, string>;
}

/** The password as restic takes it: the value, or the file it reads or the command it runs (restic's own variables). */
export type ResticPasswordSource = string | { value: string } | { file: string } | { command: string };

function passwordVar(password: ResticPasswordSource): [string, string] {
  if (typeof password === 'string') return ['RESTIC_PASSWORD', password];
  if ('value' in password) return ['RESTIC_PASSWORD', password.value];
  if ('file' in password) return ['RESTIC_PASSWORD_FILE', password.file];
  return ['RESTIC_PASSWORD_COMMAND', password.command];
}

export function resticEnv(base: NodeJS.ProcessEnv, repository: string, password: ResticPasswordSource): ResticEnvironment {
  const env: NodeJS.ProcessEnv = {};
  const secretEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || !PASSED.test(k)) continue;
    // Every cloud variable goes the deliberate way: B2_ACCOUNT_KEY or AZURE_ACCOUNT_KEY are not named like secrets.
    if (k.startsWith('RESTIC_REST_') || /^(AWS|B2|AZURE|GOOGLE|OS|ST)_/.test(k)) secretEnv[k] = v;
    else env[k] = v;
  }
  env.RESTIC_REPOSITORY = repository;
  const [name, value] = passwordVar(password);
  secretEnv[name] = value;
  return { env, secretEnv };
}

/** restic's words for the situations the studio explains to the owner. */
export function classifyResticError(stderr: string): 'wrong-password' | 'no-repository' | 'locked' | 'other' {
  if (/wrong password or no key found/i.test(stderr)) return 'wrong-password';
  if (/Is there a repository at the following location\?|repository does not exist|unable to open config file/i.test(stderr)) return 'no-repository';
  if (/repository is already locked/i.test(stderr)) return 'locked';
  return 'other';
}
