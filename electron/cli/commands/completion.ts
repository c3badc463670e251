import { ChurchError } from '../../../shared/errors';
import { listLocalSnapshots } from '../../host/offline';
import type { CliCommand, CliContext } from '../command';
import { GLOBAL_OPTIONS } from '../globalArgs';
import { completionScript, type CompletionModel } from './completionScripts';

/** Words after a command that are verbs of their own (church config set, church stripe sync, church lab secret). */
const VERBS: Record<string, string[]> = {
  config: ['list', 'get', 'set', 'unset', 'edit', 'export', 'import', 'set-secret'],
  stripe: ['sync', 'status', 'metrics', 'webhook'],
  lab: ['secret'],
  completion: ['bash', 'zsh', 'fish'],
};

/** Values a script asks for as the owner types (cheap: no ffmpeg, and the database only for presets). */
const VALUE_KINDS = ['presets', 'snapshots', 'config-keys'] as const;
type ValueKind = (typeof VALUE_KINDS)[number];

/** The command table as completion needs it, handed in by the table itself (so this module does not import it back). */
export interface CommandSource {
  entries: { name: string; summary: string }[];
  load(name: string): Promise<CliCommand>;
}

async function buildModel(source: CommandSource): Promise<CompletionModel> {
  const commands = await Promise.all(source.entries.map(async (entry) => ({ entry, command: await source.load(entry.name) })));
  return {
    globals: Object.keys(GLOBAL_OPTIONS).map((o) => `--${o}`),
    globalsWithValue: Object.entries(GLOBAL_OPTIONS).filter(([, o]) => o.type === 'string').map(([k]) => `--${k}`),
    commands: commands.map(({ entry, command }) => ({
      name: entry.name,
      summary: entry.summary,
      options: Object.keys(command.options ?? {}).map((o) => `--${o}`),
      valueOptions: Object.entries(command.options ?? {}).filter(([, o]) => o.type === 'string').map(([k]) => `--${k}`),
      verbs: VERBS[entry.name] ?? [],
    })),
  };
}

async function values(ctx: CliContext, kind: ValueKind): Promise<string[]> {
  switch (kind) {
    case 'snapshots':
      return listLocalSnapshots(ctx.dataDir).map((s) => s.id);
    case 'presets':
      return (await (await ctx.client()).call('jobs.presets', {})).presets.map((p) => p.name);
    case 'config-keys': {
      // Loaded here only: the schemas and the secret names, no database.
      const [{ CONFIG_SECTIONS }, { listEntries }, { CONFIG_SECRETS }] = await Promise.all([import('./configSections'), import('./configKeys'), import('./configSecrets')]);
      return [...CONFIG_SECTIONS.flatMap((s) => listEntries(s.name, s.schema, undefined).map((e) => e.key)), ...CONFIG_SECRETS.map((s) => s.name)];
    }
  }
}

export const makeCompletionCommand = (source: CommandSource): CliCommand => ({
  name: 'completion',
  summary: 'Shell completion for bash, zsh or fish: commands, options, presets, snapshot ids and config keys',
  usage: 'church completion bash|zsh|fish   (church completion --values presets|snapshots|config-keys: what the scripts ask for)',
  options: { values: { type: 'string' } },
  async run(ctx, args) {
    const kind = args.values.values;
    if (typeof kind === 'string') {
      if (!(VALUE_KINDS as readonly string[]).includes(kind)) throw new ChurchError('INVALID_INPUT', `--values takes ${VALUE_KINDS.join(', ')}`);
      try {
        ctx.stdout.write((await values(ctx, kind as ValueKind)).join('\n') + '\n');
      } catch {
        // A tab press must not print an error into the owner's command line: no candidates instead.
      }
      return 0;
    }
    const shell = args.positionals[0];
    if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') throw new ChurchError('INVALID_INPUT', `name the shell: church completion bash, zsh or fish`);
    ctx.stdout.write(completionScript(shell, await buildModel(source)));
    return 0;
  },
});
