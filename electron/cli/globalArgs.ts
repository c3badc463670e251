import { ChurchError } from '../../shared/errors';

/** Options every command takes, before or after the command name (as in git, docker and kubectl). */
export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  /** The lab (docs/lab.md): the same as CHURCH_LAB_URL / CHURCH_LAB_SECRET_FILE / CHURCH_LAB_CA_FILE for this command. */
  lab: { type: 'string' },
  'lab-secret-file': { type: 'string' },
  'lab-ca': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const WITH_VALUE = new Set(['--data-dir', '--lab', '--lab-secret-file', '--lab-ca']);
const FLAGS = new Set(['--json', '--help', '-h']);

export interface SplitArgs {
  /** The command's name, if one was given. */
  name: string | undefined;
  /** Everything but the name, global options included, in an order parseArgs reads. */
  rest: string[];
  help: boolean;
  json: boolean;
}

/**
 * Finds the command in `argv` when global options may come before it. Before the name only global options are
 * allowed: `church --limit 5 audit` would otherwise take "5" for the command.
 */
export function splitArgs(argv: string[]): SplitArgs {
  const before: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const flag = a.split('=')[0]!;
    if (WITH_VALUE.has(flag)) {
      before.push(a);
      if (!a.includes('=')) {
        if (i + 1 >= argv.length) throw new ChurchError('INVALID_INPUT', `${flag} needs a value; usage: church ${flag} DIR <command>`);
        before.push(argv[++i]!);
      }
      continue;
    }
    if (FLAGS.has(a)) {
      before.push(a);
      continue;
    }
    throw new ChurchError('INVALID_INPUT', `${flag} is not a global option: put it after the command name (global: --data-dir DIR, --json, --lab URL, --lab-secret-file FILE, --lab-ca FILE, --help)`);
  }
  const name = argv[i];
  const after = name === undefined ? [] : argv.slice(i + 1);
  const rest = [...after, ...before];
  const endOfOptions = after.indexOf('--');
  const scanned = endOfOptions === -1 ? rest : [...after.slice(0, endOfOptions), ...before];
  return {
    name,
    // parseArgs reads options after a `--` as positionals: keep them last.
    rest: endOfOptions === -1 ? rest : [...after.slice(0, endOfOptions), ...before, ...after.slice(endOfOptions)],
    help: scanned.includes('--help') || scanned.includes('-h'),
    json: scanned.includes('--json'),
  };
}
