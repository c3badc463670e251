import type { OptionSpec } from './command';

/** Edits between two option names (a swap of neighbours counts as one: --tga → --tag), for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function closest(option: string, options: OptionSpec): string | null {
  const typed = option.replace(/^-+/, '');
  let best: { name: string; d: number } | null = null;
  for (const name of Object.keys(options)) {
    const d = distance(typed, name);
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best ? `--${best.name}` : null;
}

/**
 * Node's parseArgs explains a bad command line in its own terms ("Unknown option '--bogus'. To specify a positional
 * argument starting with a '-', …"); this says it as a sentence about the command, and where its options are listed.
 */
export function explainParseArgsError(e: unknown, command: string, options: OptionSpec): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const help = `"church ${command} --help" lists its options`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /Unknown option '([^']+)'/.exec(message)?.[1] ?? 'that option';
    const near = closest(option, options);
    return `the ${command} command has no option ${option}${near ? ` (did you mean ${near}?)` : ''}; ${help}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /Option '(?:-\w, )?(--[\w-]+)/.exec(message)?.[1] ?? 'an option';
    // "ambiguous": the next word starts with a dash (`--port --json`), so the value was most likely forgotten.
    if (/argument missing|argument is ambiguous/.test(message)) return `${option} needs a value (${option} VALUE); ${help}`;
    if (/does not take an argument/.test(message)) return `${option} takes no value (write ${option} alone); ${help}`;
  }
  return `${message.split('\n')[0]}; ${help}`;
}
