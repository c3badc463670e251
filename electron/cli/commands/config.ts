import { ChurchError } from '../../../shared/errors';
import type { CliCommand, CliContext, ParsedArgs } from '../command';
import { emptyValue, isEntry, listEntries, parseValue, schemaAt, showValue, valueAt, withValue } from './configKeys';
import { editConfig, exportConfig, importConfig } from './configFile';
import { appliedWhere, checkSection, CONFIG_SECTIONS, sectionOf } from './configSections';
import { CONFIG_SECRETS, secretNamed } from './configSecrets';
import { setSecret, unsetSecret } from './configSecretInput';

const USAGE = [
  'church config list [--json]            every setting with its value; secrets as set or not set',
  'church config get KEY                  one value (text as it is, anything else as JSON)',
  'church config set KEY VALUE            validated as the settings screen does, then saved',
  'church config unset KEY                back to empty (an optional setting, a list, a map entry or a rule)',
  'church config edit                     the settings as JSON in $VISUAL / $EDITOR, checked before they are saved',
  'church config export > FILE            every setting as JSON (no secrets)',
  'church config import FILE              settings from such a file ("-": standard input)',
  'church config set-secret NAME [--from-file FILE]   a secret from standard input or a file, never an argument',
].join('\n  ');


async function list(ctx: CliContext): Promise<number> {
  const client = await ctx.client();
  const settings: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const section of CONFIG_SECTIONS) {
    const entries = listEntries(section.name, section.schema, await section.read(client));
    lines.push(`# ${section.title}`);
    for (const e of entries) {
      if (e.value !== undefined) settings[e.key] = e.value;
      lines.push(`${e.key} = ${showValue(e.value)}`);
    }
    lines.push('');
  }
  const secrets: Record<string, 'set' | 'unset'> = {};
  lines.push('# Secrets (church config set-secret NAME)');
  for (const s of CONFIG_SECRETS) {
    secrets[s.name] = (await s.isSet(client)) ? 'set' : 'unset';
    lines.push(`${s.name} = (${secrets[s.name]})`);
  }
  ctx.print({ attached: client.remote, settings, secrets }, () => lines.join('\n'));
  return 0;
}

async function get(ctx: CliContext, key: string): Promise<number> {
  const client = await ctx.client();
  const secret = secretNamed(key);
  if (secret) {
    const state = (await secret.isSet(client)) ? 'set' : 'unset';
    ctx.print({ key, secret: state }, () => state);
    return 0;
  }
  const { section, path } = sectionOf(key);
  schemaAt(section.name, section.schema, path);
  const value = valueAt(section.schema, await section.read(client), path);
  ctx.print({ key, value: value ?? null }, () => showValue(value));
  return 0;
}

async function change(ctx: CliContext, key: string, text: string | null): Promise<number> {
  const { section, path } = sectionOf(key);
  const leaf = schemaAt(section.name, section.schema, path);
  const value = text !== null ? parseValue(key, leaf, text) : isEntry(section.schema, path) ? undefined : emptyValue(key, leaf);
  const client = await ctx.client();
  const next = checkSection(section, withValue([section.name], section.schema, await section.read(client), path, value));
  await section.write(client, next);
  ctx.print({ key, value: value ?? null, attached: client.remote }, () => `✓ ${key} = ${showValue(value)}  (${appliedWhere(client)})`);
  return 0;
}

function needArgs(args: ParsedArgs, n: number, usage: string): string[] {
  const rest = args.positionals.slice(1);
  if (rest.length !== n) throw new ChurchError('INVALID_INPUT', `usage: church config ${usage}`);
  return rest;
}

export const configCommand: CliCommand = {
  name: 'config',
  summary: 'Every setting of the studio from the shell: list, get, set, unset, edit, export, import, set-secret',
  usage: `church config <list|get|set|unset|edit|export|import|set-secret> …\n  ${USAGE}`,
  options: { 'from-file': { type: 'string' } },
  async run(ctx, args) {
    const verb = args.positionals[0];
    switch (verb) {
      case 'list':
        needArgs(args, 0, 'list [--json]');
        return list(ctx);
      case 'get':
        return get(ctx, needArgs(args, 1, 'get KEY')[0]!);
      case 'set': {
        if (secretNamed(args.positionals[1] ?? '')) throw new ChurchError('INVALID_INPUT', `${args.positionals[1]} is a secret: it is never taken as an argument (it would stay in your shell history and in ps); pipe it into "church config set-secret ${args.positionals[1]}" or use --from-file`);
        const [key, value] = needArgs(args, 2, 'set KEY VALUE');
        return change(ctx, key!, value!);
      }
      case 'unset': {
        const [key] = needArgs(args, 1, 'unset KEY');
        if (secretNamed(key!)) return unsetSecret(ctx, secretNamed(key!)!);
        return change(ctx, key!, null);
      }
      case 'set-secret':
        return setSecret(ctx, args);
      case 'export':
        needArgs(args, 0, 'export > FILE');
        return exportConfig(ctx);
      case 'import':
        return importConfig(ctx, needArgs(args, 1, 'import FILE   ("-" reads standard input)')[0]!);
      case 'edit':
        needArgs(args, 0, 'edit');
        return editConfig(ctx);
      default:
        throw new ChurchError('INVALID_INPUT', `${verb ? `"${verb}" is not a config command` : 'name what to do'}: list, get, set, unset, edit, export, import or set-secret ("church config --help" explains each)`);
    }
  },
};

export const configCommands: CliCommand[] = [configCommand];
