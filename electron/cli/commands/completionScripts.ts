/**
 * The completion scripts, written from the command table (names, summaries, options) so a new command or option
 * completes without an edit here. Values that change (presets, snapshot ids, config keys) are asked of
 * `church completion --values KIND` as the owner types.
 */
export interface CompletionModel {
  globals: string[];
  globalsWithValue: string[];
  commands: { name: string; summary: string; options: string[]; valueOptions: string[]; verbs: string[] }[];
}

/** Options whose value is a path: the shell completes file names there. */
const PATH_OPTION = /(dir|file|ca|plan|out)$/;
/** Verbs of a command after which a config key comes. */
const KEY_VERBS = ['get', 'set', 'unset', 'set-secret'];

const words = (list: string[]) => list.join(' ');

function bashScript(m: CompletionModel): string {
  const valueOpts = [...new Set([...m.globalsWithValue, ...m.commands.flatMap((c) => c.valueOptions)])];
  const pathOpts = valueOpts.filter((o) => PATH_OPTION.test(o));
  const optionCases = m.commands.map((c) => `      ${c.name}) COMPREPLY=($(compgen -W "${words([...c.options, ...m.globals])}" -- "$cur")) ;;`);
  const verbCases = m.commands
    .filter((c) => c.verbs.length && c.name !== 'config')
    .map((c) => `    ${c.name}) ((\${#pos[@]} == 0)) && COMPREPLY=($(compgen -W "${words(c.verbs)}" -- "$cur")) ;;`);
  const configVerbs = m.commands.find((c) => c.name === 'config')?.verbs ?? [];
  return `# church completion for bash. Load it now: source <(church completion bash)
# or for good: church completion bash > ~/.local/share/bash-completion/completions/church
_church_values() { command church completion --values "$1" 2>/dev/null; }
_church() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" w i
  local -a pos=()
  ((COMP_CWORD > 0)) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${valueOpts.join('|')}) ((i++)) ;;
      -*) ;;
      *) if [[ -z "$cmd" ]]; then cmd="$w"; else pos+=("$w"); fi ;;
    esac
  done
  case "$prev" in
    ${pathOpts.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
    --preset) COMPREPLY=($(compgen -W "$(_church_values presets)" -- "$cur")); return 0 ;;
  esac
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "${words(m.commands.map((c) => c.name))} ${words(m.globals)}" -- "$cur"))
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${optionCases.join('\n')}
    esac
    return 0
  fi
  case "$cmd" in
    config)
      if ((\${#pos[@]} == 0)); then COMPREPLY=($(compgen -W "${words(configVerbs)}" -- "$cur"))
      elif ((\${#pos[@]} == 1)) && [[ " ${words(KEY_VERBS)} " == *" \${pos[0]} "* ]]; then COMPREPLY=($(compgen -W "$(_church_values config-keys)" -- "$cur"))
      elif [[ "\${pos[0]}" == import ]]; then COMPREPLY=($(compgen -f -- "$cur")); fi ;;
    restore) ((\${#pos[@]} == 0)) && COMPREPLY=($(compgen -W "$(_church_values snapshots)" -- "$cur")) ;;
    import) COMPREPLY=($(compgen -f -- "$cur")) ;;
${verbCases.join('\n')}
  esac
  return 0
}
complete -F _church church
`;
}

/** zsh runs the bash function through its bashcompinit layer: one set of rules for both shells. */
function zshScript(m: CompletionModel): string {
  return `# church completion for zsh: add to ~/.zshrc (after compinit):  source <(church completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(m).split('\n').filter((l) => !l.startsWith('#')).join('\n')}`;
}

const fishQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(m: CompletionModel): string {
  const lines = ['# church completion for fish: church completion fish > ~/.config/fish/completions/church.fish', 'complete -c church -f'];
  for (const c of m.commands) lines.push(`complete -c church -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.summary)}`);
  for (const g of m.globals) {
    const path = m.globalsWithValue.includes(g);
    lines.push(`complete -c church -l ${g.slice(2)}${path ? ' -r -F' : ''}`);
  }
  for (const c of m.commands) {
    const when = `-n ${fishQuote(`__fish_seen_subcommand_from ${c.name}`)}`;
    for (const o of c.options) {
      const takes = c.valueOptions.includes(o);
      const extra = o === '--preset' ? ` -x -a ${fishQuote('(church completion --values presets 2>/dev/null)')}` : takes ? (PATH_OPTION.test(o) ? ' -r -F' : ' -x') : '';
      lines.push(`complete -c church ${when} -l ${o.slice(2)}${extra}`);
    }
    if (c.verbs.length) lines.push(`complete -c church ${when} -a ${fishQuote(words(c.verbs))}`);
  }
  lines.push(`complete -c church -n ${fishQuote(`__fish_seen_subcommand_from config; and __fish_seen_subcommand_from ${words(KEY_VERBS)}`)} -a ${fishQuote('(church completion --values config-keys 2>/dev/null)')}`);
  lines.push(`complete -c church -n ${fishQuote('__fish_seen_subcommand_from restore')} -a ${fishQuote('(church completion --values snapshots 2>/dev/null)')}`);
  lines.push(`complete -c church -n ${fishQuote('__fish_seen_subcommand_from import')} -F`);
  return lines.join('\n') + '\n';
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', m: CompletionModel): string {
  return shell === 'bash' ? bashScript(m) : shell === 'zsh' ? zshScript(m) : fishScript(m);
}
