import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import type { CliContext, StudioClient } from '../command';
import { appliedWhere, checkSection, CONFIG_SECTIONS, type ConfigSection, type SectionData } from './configSections';

/** The file `export` writes and `import` and `edit` read: every section by name, no secrets. */
interface ConfigFile {
  settings: Record<string, SectionData>;
}

async function readAll(client: StudioClient): Promise<Record<string, SectionData>> {
  const out: Record<string, SectionData> = {};
  for (const s of CONFIG_SECTIONS) out[s.name] = await s.read(client);
  return out;
}

export async function exportConfig(ctx: CliContext): Promise<number> {
  const file: ConfigFile = { settings: await readAll(await ctx.client()) };
  ctx.stdout.write(JSON.stringify(file, null, 2) + '\n');
  return 0;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The sections a file changes, each checked whole before any is saved. A section in the file replaces the fields
 * it names (a file from an older build, without a newer field, keeps that field as it is).
 */
function changedSections(text: string, current: Record<string, SectionData>, where: string): [ConfigSection, SectionData][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ChurchError('INVALID_INPUT', `${where} is not JSON: ${(e as Error).message}`);
  }
  const settings = isPlainObject(parsed) && isPlainObject(parsed.settings) ? parsed.settings : parsed;
  if (!isPlainObject(settings)) throw new ChurchError('INVALID_INPUT', `${where} holds no settings: expected {"settings": {"monitor": {…}, …}} as "church config export" writes it`);
  const changed: [ConfigSection, SectionData][] = [];
  for (const [name, value] of Object.entries(settings)) {
    const section = CONFIG_SECTIONS.find((s) => s.name === name);
    if (!section) throw new ChurchError('INVALID_INPUT', `${where} has a section "${name}" the studio does not know; the sections are ${CONFIG_SECTIONS.map((s) => s.name).join(', ')}`);
    if (!isPlainObject(value)) throw new ChurchError('INVALID_INPUT', `${where}: ${name} must be an object of settings`);
    const next = checkSection(section, { ...current[name], ...value });
    if (JSON.stringify(next) !== JSON.stringify(current[name])) changed.push([section, next]);
  }
  return changed;
}

async function apply(ctx: CliContext, client: StudioClient, changed: [ConfigSection, SectionData][]): Promise<number> {
  for (const [section, data] of changed) await section.write(client, data);
  const names = changed.map(([s]) => s.name);
  ctx.print({ changed: names, attached: client.remote }, () => (names.length ? `✓ ${names.join(', ')} ${appliedWhere(client)}` : 'no changes'));
  return 0;
}

export async function importConfig(ctx: CliContext, file: string): Promise<number> {
  const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
  const client = await ctx.client();
  return apply(ctx, client, changedSections(text, await readAll(client), file === '-' ? 'standard input' : file));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChurchError('NOT_FOUND', `${file} could not be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** $VISUAL, else $EDITOR, else vi (git's order); "code --wait" style values are split into the program and its arguments. */
function editorCommand(env: NodeJS.ProcessEnv): string[] {
  const words = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/);
  return words.filter(Boolean);
}

/**
 * `church config edit`: the settings as JSON in the owner's editor, in a private temp folder. Nothing is saved
 * unless every changed section passes its schema; a refused edit stays in its file, to fix and import.
 */
export async function editConfig(ctx: CliContext): Promise<number> {
  const client = await ctx.client();
  const current = await readAll(client);
  const dir = mkdtempSync(join(tmpdir(), 'church-config-'));
  const file = join(dir, 'settings.json');
  const before = JSON.stringify({ settings: current } satisfies ConfigFile, null, 2) + '\n';
  writeFileSync(file, before, { mode: 0o600 });
  const [program, ...editorArgs] = editorCommand(ctx.env);
  const r = spawnSync(program!, [...editorArgs, file], { stdio: 'inherit', env: ctx.env });
  if (r.error || r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new ChurchError('EXTERNAL', `the editor (${program}) ${r.error ? `could not be started: ${r.error.message}` : `exited with ${r.status ?? r.signal}`}; nothing was saved (set VISUAL or EDITOR to the editor you use)`);
  }
  const after = readFileSync(file, 'utf8');
  let changed: [ConfigSection, SectionData][];
  try {
    changed = after === before ? [] : changedSections(after, current, 'the edited settings');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ChurchError('INVALID_INPUT', `nothing was saved: ${why}; your edit is kept in ${file}: fix it and run "church config import ${file}"`, (e as ChurchError).details);
  }
  rmSync(dir, { recursive: true, force: true });
  return apply(ctx, client, changed);
}
