import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import { childEnv } from '../../platform/process';

/**
 * restic's own variables, honoured as restic honours them (restic's global options): the repository from
 * RESTIC_REPOSITORY or the first line of RESTIC_REPOSITORY_FILE (not both), the password from
 * RESTIC_PASSWORD_COMMAND, else RESTIC_PASSWORD_FILE (not both), else RESTIC_PASSWORD. They count only when
 * Settings → Backups names no repository.
 */

/** How restic gets its password: the value itself, or restic reads the file or runs the command. */
export type ResticPassword = { value: string } | { file: string } | { command: string };

export const WHAT_TO_SET =
  'set RESTIC_REPOSITORY (or RESTIC_REPOSITORY_FILE) and RESTIC_PASSWORD (or RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND) as for restic itself, or a repository in Settings → Backups ("church config set backup.restic.repository PATH") with its password';

const set = (v: string | undefined): v is string => typeof v === 'string' && v !== '';

function readFirstLine(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new ChurchError('UNAVAILABLE', `${what} names ${file}, which could not be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

/** The repository restic would use from this environment, or null when none is named. */
export function repositoryFromEnv(env: NodeJS.ProcessEnv): string | null {
  if (set(env.RESTIC_REPOSITORY) && set(env.RESTIC_REPOSITORY_FILE)) {
    throw new ChurchError('INVALID_INPUT', 'RESTIC_REPOSITORY and RESTIC_REPOSITORY_FILE are both set; restic refuses that too: keep only one');
  }
  if (set(env.RESTIC_REPOSITORY)) return env.RESTIC_REPOSITORY;
  if (set(env.RESTIC_REPOSITORY_FILE)) return readFirstLine(env.RESTIC_REPOSITORY_FILE, 'RESTIC_REPOSITORY_FILE') || null;
  return null;
}

/**
 * The password restic would use from this environment (`plain` is RESTIC_PASSWORD, which a studio without a
 * window keeps in its secret store rather than in its environment), or null when none is given. A file's path
 * is made absolute: restic runs with the snapshot folder as its working folder.
 */
export function passwordFromEnv(env: NodeJS.ProcessEnv, plain: string | null | undefined): ResticPassword | null {
  if (set(env.RESTIC_PASSWORD_FILE) && set(env.RESTIC_PASSWORD_COMMAND)) {
    throw new ChurchError('INVALID_INPUT', 'RESTIC_PASSWORD_FILE and RESTIC_PASSWORD_COMMAND are both set; restic refuses that too: keep only one');
  }
  if (set(env.RESTIC_PASSWORD_COMMAND)) return { command: env.RESTIC_PASSWORD_COMMAND };
  if (set(env.RESTIC_PASSWORD_FILE)) return { file: resolve(env.RESTIC_PASSWORD_FILE) };
  if (set(plain ?? undefined)) return { value: plain! };
  return null;
}

/** A command line split into words as restic splits RESTIC_PASSWORD_COMMAND: spaces, quotes and backslashes, no shell. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && quote !== "'" && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (quote) throw new ChurchError('INVALID_INPUT', 'RESTIC_PASSWORD_COMMAND has an unclosed quote');
  if (started) words.push(word);
  return words;
}

/**
 * The password itself, for a front end that must hand it to a running studio for one call: a file is read, a
 * command is run (argument array, no shell; its environment without the studio's secrets), as restic would.
 */
export function resolvePasswordValue(p: ResticPassword, env: NodeJS.ProcessEnv): string {
  if ('value' in p) return p.value;
  if ('file' in p) return readFirstLine(p.file, 'RESTIC_PASSWORD_FILE');
  const [bin, ...args] = splitCommandLine(p.command);
  if (!bin) throw new ChurchError('INVALID_INPUT', 'RESTIC_PASSWORD_COMMAND is empty');
  const r = spawnSync(bin, args, { env: childEnv(env), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error || r.status !== 0) throw new ChurchError('EXTERNAL', `RESTIC_PASSWORD_COMMAND (${bin}) failed: ${r.error?.message ?? `exit ${r.status ?? r.signal}`}`);
  return r.stdout.trim();
}

export interface ResticFromEnv {
  repository: string | null;
  /** The variable the password comes from, null when none gives one. */
  passwordFrom: 'RESTIC_PASSWORD' | 'RESTIC_PASSWORD_FILE' | 'RESTIC_PASSWORD_COMMAND' | null;
  /** The password itself, read (or its command run) only when it is needed. */
  readPassword(): string;
}

/** What restic's variables in this environment name, for a front end that passes them to a running studio for one call. */
export function resticFromEnv(env: NodeJS.ProcessEnv): ResticFromEnv {
  const repository = repositoryFromEnv(env);
  const p = passwordFromEnv(env, env.RESTIC_PASSWORD);
  const passwordFrom = !p ? null : 'command' in p ? 'RESTIC_PASSWORD_COMMAND' : 'file' in p ? 'RESTIC_PASSWORD_FILE' : 'RESTIC_PASSWORD';
  return {
    repository,
    passwordFrom,
    readPassword: () => {
      if (!p) throw new ChurchError('UNAVAILABLE', 'no restic password is given: set RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND');
      return resolvePasswordValue(p, env);
    },
  };
}
