import { resolve } from 'node:path';
import { ACCESS_TIERS, LIBRARY_SORTS, type ImportProgress, type ImportSummary, type VideoDetail, type VideoPage, type VideoSummary } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import { fmtBytes } from '../../../shared/format/bytes';
import { clockTime } from '../../../shared/format/clock';
import { containerName, streamWords } from '../../../shared/format/mediaFacts';
import type { CliCommand, CliContext, OptionSpec, ParsedArgs, StudioClient } from '../command';
import { isLiveTerminal } from '../terminal';

function fmtDuration(sec: number | null): string {
  return sec === null ? '–' : clockTime(sec);
}

function row(v: VideoSummary): string {
  const res = v.width && v.height ? `${v.width}x${v.height}` : v.kind;
  const flags = [v.missing ? 'MISSING' : '', v.duplicateCount ? `dup×${v.duplicateCount + 1}` : '', v.favourite ? '♥' : ''].filter(Boolean).join(' ');
  const stars = v.rating ? '★'.repeat(v.rating) : '';
  return `${String(v.id).padStart(6)}  ${fmtDuration(v.durationSec).padStart(8)}  ${res.padEnd(9)}  ${(v.videoCodec ?? v.audioCodec ?? '–').padEnd(5)}  ${v.tier.padEnd(10)}  ${stars.padEnd(5)}  ${v.title}${v.tags.length ? `  [${v.tags.join(', ')}]` : ''}${flags ? `  ${flags}` : ''}`;
}

function renderPage(p: VideoPage): string {
  if (p.items.length === 0) return 'No items match.';
  const head = `${'ID'.padStart(6)}  ${'LENGTH'.padStart(8)}  ${'SIZE'.padEnd(9)}  ${'CODEC'.padEnd(5)}  ${'TIER'.padEnd(10)}  ${'RATE'.padEnd(5)}  TITLE`;
  const foot = p.total >= 0 ? `${p.items.length} of ${p.total}${p.nextCursor ? ' (more: --cursor ' + p.nextCursor + ')' : ''}` : '';
  return [head, ...p.items.map(row), foot].filter(Boolean).join('\n');
}

function renderSummary(s: ImportSummary): string {
  const lines = [
    `${s.cancelled ? 'Import cancelled' : 'Imported'}: ${s.imported} new, ${s.updated} changed, ${s.moved} moved, ${s.skipped} unchanged or seen twice, ${s.missing} missing, ${s.failed.length} failed (${(s.durationMs / 1000).toFixed(1)} s, ${s.filesPerSec} files/s)`,
  ];
  if (s.assets.generated || s.assets.failed) lines.push(`Posters and sprites: ${s.assets.generated} generated, ${s.assets.failed} failed`);
  for (const f of s.failed) lines.push(`  ✗ ${f.path}: ${f.reason}`);
  return lines.join('\n');
}

function renderDetail(v: VideoDetail): string {
  const lines = [
    `#${v.id} ${v.title}${v.missing ? '  (MISSING)' : ''}`,
    `  file       ${v.path}`,
    `  kind       ${v.kind}, ${fmtDuration(v.durationSec)}, ${v.width && v.height ? `${v.width}x${v.height}, ` : ''}${fmtBytes(v.sizeBytes)}${v.bitRate ? `, ${Math.round(v.bitRate / 1000)} kb/s` : ''}`,
    `  container  ${containerName(v.container, v.fileName)}${v.container ? ` (${v.container})` : ''}`,
  ];
  for (const s of v.probe?.streams ?? []) lines.push(`  stream ${s.index}   ${s.type}: ${streamWords(s)}`);
  lines.push(
    `  tier       ${v.tier}   rating ${v.rating}/5${v.favourite ? '   favourite' : ''}`,
    `  tags       ${v.tags.join(', ') || '–'}`,
    `  collections ${v.collections.map((c) => c.name).join(', ') || '–'}`,
    `  fingerprint ${v.fingerprint}${v.duplicateIds.length ? `  (same content as #${v.duplicateIds.join(', #')})` : ''}`,
    `  assets     poster ${v.hasPoster ? 'yes' : 'no'}, sprite ${v.hasSprite ? 'yes' : 'no'}`,
  );
  if (v.notes) lines.push(`  notes      ${v.notes.replace(/\n/g, '\n             ')}`);
  for (const o of v.outputs) lines.push(`  output #${o.id} ${o.kind} (${o.preset}) ${o.path}${o.exists ? '' : ' (gone)'}`);
  return lines.join('\n');
}

/** An id from the command line; `what` names it as a person would, `where` says where to find one. */
function parseId(raw: string | undefined, usage: string, what = 'a video id', where = 'the number in the ID column of "church list"'): number {
  const command = `the ${usage.split(' ')[1] ?? ''} command`;
  if (raw === undefined || raw === '') throw new ChurchError('INVALID_INPUT', `${command} needs ${what} (${where}); usage: ${usage}`);
  if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new ChurchError('INVALID_INPUT', `${JSON.stringify(raw)} is not ${what} (${where}); usage: ${usage}`);
  return Number(raw);
}

function str(args: ParsedArgs, key: string): string | undefined {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
}

function list(args: ParsedArgs, key: string): string[] | undefined {
  const v = args.values[key];
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  return all.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

function num(args: ParsedArgs, key: string): number | undefined {
  const v = str(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ChurchError('INVALID_INPUT', `--${key} expects a number, got ${JSON.stringify(v)}`);
  return n;
}

const FILTER_OPTIONS: OptionSpec = {
  tier: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  codec: { type: 'string', multiple: true },
  'min-rating': { type: 'string' },
  'min-duration': { type: 'string' },
  'max-duration': { type: 'string' },
  'min-height': { type: 'string' },
  'max-height': { type: 'string' },
  kind: { type: 'string' },
  favourite: { type: 'boolean' },
  missing: { type: 'boolean' },
  duplicate: { type: 'boolean' },
  collection: { type: 'string' },
  sort: { type: 'string' },
  asc: { type: 'boolean' },
  desc: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  cursor: { type: 'string' },
  page: { type: 'boolean' },
};

const FILTER_USAGE = `[--tier free|subscriber|premium] [--tag T]... [--codec C] [--min-rating N] [--min-duration S] [--max-duration S] [--min-height PX] [--max-height PX] [--kind video|audio] [--favourite] [--missing] [--duplicate] [--collection ID] [--sort ${LIBRARY_SORTS.join('|')}] [--asc|--desc] [--limit N] [--offset N] [--cursor C] [--json [--page]]`;

function searchInput(args: ParsedArgs, query: string | undefined): Record<string, unknown> {
  const sort = str(args, 'sort');
  if (sort && !(LIBRARY_SORTS as readonly string[]).includes(sort)) throw new ChurchError('INVALID_INPUT', `--sort must be one of ${LIBRARY_SORTS.join(', ')}`);
  const tiers = list(args, 'tier');
  for (const t of tiers ?? []) if (!(ACCESS_TIERS as readonly string[]).includes(t)) throw new ChurchError('INVALID_INPUT', `--tier must be one of ${ACCESS_TIERS.join(', ')}`);
  const input: Record<string, unknown> = {
    query,
    tiers,
    tags: list(args, 'tag'),
    codecs: list(args, 'codec'),
    minRating: num(args, 'min-rating'),
    minDurationSec: num(args, 'min-duration'),
    maxDurationSec: num(args, 'max-duration'),
    minHeight: num(args, 'min-height'),
    maxHeight: num(args, 'max-height'),
    kind: str(args, 'kind'),
    favourite: args.values.favourite === true ? true : undefined,
    missing: args.values.missing === true ? true : undefined,
    duplicate: args.values.duplicate === true ? true : undefined,
    collectionId: num(args, 'collection'),
    sort: sort ?? (query ? 'relevance' : 'addedAt'),
    order: args.values.asc === true ? 'asc' : args.values.desc === true ? 'desc' : sort === 'title' || sort === 'fileName' ? 'asc' : 'desc',
    limit: num(args, 'limit') ?? 50,
    offset: num(args, 'offset') ?? 0,
    cursor: str(args, 'cursor'),
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
}

/** With --json: the items (each with its id), or with --page the whole page (total, nextCursor). */
function printPage(ctx: CliContext, args: ParsedArgs, page: VideoPage): void {
  ctx.print(args.values.page === true ? page : page.items, () => renderPage(page));
}

/** Prints progress on stderr (one updating line on a terminal, a line per second otherwise); JSON stays on stdout. */
function progressPrinter(ctx: CliContext): (p: ImportProgress) => void {
  let last = 0;
  const tty = isLiveTerminal(ctx.stderr, ctx.env);
  return (p) => {
    const t = Date.now();
    const final = p.phase === 'done' || p.phase === 'cancelled';
    if (!final && t - last < (tty ? 200 : 1000)) return;
    last = t;
    const line = `${p.phase}: ${p.seen} seen, ${p.probed} probed, ${p.unchanged} unchanged, ${p.failed} failed, ${p.ratePerSec} files/s${p.etaSec ? `, ~${Math.ceil(p.etaSec)} s left` : ''}${p.currentFile && !final ? ` — ${p.currentFile}` : ''}`;
    if (tty) ctx.stderr.write(`\r\x1b[K${line.slice(0, (ctx.stderr.columns ?? 120) - 1)}${final ? '\n' : ''}`);
    else ctx.stderr.write(line + '\n');
  };
}

async function runImport(ctx: CliContext, start: (client: StudioClient) => Promise<ImportSummary>): Promise<ImportSummary> {
  const client = await ctx.client();
  const off = ctx.json ? () => undefined : client.on('library.importProgress', progressPrinter(ctx));
  // Ctrl-C cancels the import (what is done stays) instead of killing the process mid-write.
  const onSigint = () => {
    ctx.stderr.write('\ncancelling the import…\n');
    void client.invoke('library.cancelImport', {});
  };
  process.once('SIGINT', onSigint);
  try {
    return await start(client);
  } finally {
    process.removeListener('SIGINT', onSigint);
    off();
  }
}

/**
 * 130 when cancelled; 1 when any file failed (what did import stays, and the summary lists the failures), said in
 * one line on stderr so a script that checks only the exit code or only stderr notices; else 0.
 */
function importExitCode(ctx: CliContext, s: ImportSummary, verb: 'imported' | 'scanned'): number {
  if (s.cancelled) return 130;
  const n = s.failed.length;
  if (n === 0) return 0;
  const others = s.imported + s.updated + s.moved + s.skipped > 0 ? `; the others were ${verb}` : '';
  const message = `${n} file${n === 1 ? '' : 's'} could not be ${verb} (${ctx.json ? 'the summary\'s "failed" list says why' : 'listed above'})${others}`;
  ctx.stderr.write(ctx.json ? `${JSON.stringify({ error: { code: 'EXTERNAL', message } })}\n` : `church: ${message}\n`);
  return 1;
}

const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import video files and folders (recursive) into the library',
  usage: 'church import PATH... [--no-assets] [--json]',
  options: { 'no-assets': { type: 'boolean' } },
  async run(ctx, args) {
    if (args.positionals.length === 0) throw new ChurchError('INVALID_INPUT', 'give at least one file or folder; usage: church import PATH... [--json]');
    const summary = await runImport(ctx, (client) => client.call('library.import', { paths: args.positionals.map((p) => resolve(p)), assets: args.values['no-assets'] !== true }));
    ctx.print(summary, () => renderSummary(summary));
    return importExitCode(ctx, summary, 'imported');
  },
};

const scanCommand: CliCommand = {
  name: 'scan',
  summary: 'Rescan the library folders: new, changed, moved and missing files',
  usage: 'church scan [--root ID] [--no-assets] [--json]',
  options: { root: { type: 'string' }, 'no-assets': { type: 'boolean' } },
  async run(ctx, args) {
    const rootId = str(args, 'root') !== undefined ? parseId(str(args, 'root'), this.usage, 'a library folder id', 'a whole number from 1') : undefined;
    const summary = await runImport(ctx, (client) => client.call('library.scan', { rootId, assets: args.values['no-assets'] !== true }));
    ctx.print(summary, () => renderSummary(summary));
    return importExitCode(ctx, summary, 'scanned');
  },
};

const listCommand: CliCommand = {
  name: 'list',
  summary: 'List library items with filters and sort',
  usage: `church list ${FILTER_USAGE}`,
  options: FILTER_OPTIONS,
  async run(ctx, args) {
    const page = await (await ctx.client()).call('library.search', searchInput(args, undefined));
    printPage(ctx, args, page);
    return 0;
  },
};

const searchCommand: CliCommand = {
  name: 'search',
  summary: 'Full-text search over titles, file names, tags, collections and notes',
  usage: `church search QUERY ${FILTER_USAGE}`,
  options: FILTER_OPTIONS,
  async run(ctx, args) {
    const query = args.positionals.join(' ').trim();
    const page = await (await ctx.client()).call('library.search', searchInput(args, query || undefined));
    printPage(ctx, args, page);
    return 0;
  },
};

const showCommand: CliCommand = {
  name: 'show',
  summary: 'Show one item: file, streams, curation, duplicates and outputs',
  usage: 'church show ID [--json]',
  async run(ctx, args) {
    const v = await (await ctx.client()).call('library.get', { id: parseId(args.positionals[0], this.usage) });
    ctx.print(v, () => renderDetail(v));
    return 0;
  },
};

function tagCommand(name: 'tag' | 'untag'): CliCommand {
  return {
    name,
    summary: name === 'tag' ? 'Add tags to an item (or several: --ids 1,2,3)' : 'Remove tags from an item (or several: --ids 1,2,3)',
    usage: `church ${name} ID TAG... [--json]   |   church ${name} --ids ID,ID,... TAG... [--json]`,
    options: { ids: { type: 'string' } },
    async run(ctx, args) {
      const idsOpt = str(args, 'ids');
      const ids = idsOpt ? idsOpt.split(',').map((x) => parseId(x.trim(), this.usage)) : [parseId(args.positionals[0], this.usage)];
      const tags = idsOpt ? args.positionals : args.positionals.slice(1);
      if (tags.length === 0) throw new ChurchError('INVALID_INPUT', `give at least one tag; usage: ${this.usage}`);
      const client = await ctx.client();
      const r = await client.call('library.bulkUpdate', name === 'tag' ? { ids, addTags: tags } : { ids, removeTags: tags });
      const items = ids.length === 1 ? [await client.call('library.get', { id: ids[0]! })] : [];
      ctx.print(ids.length === 1 ? items[0] : r, () => (items[0] ? `#${items[0].id} ${items[0].title}: ${items[0].tags.join(', ') || 'no tags'}` : `${r.updated} items updated`));
      return 0;
    },
  };
}

const rateCommand: CliCommand = {
  name: 'rate',
  summary: 'Rate an item 0–5 (0 clears the rating)',
  usage: 'church rate ID N [--json]',
  async run(ctx, args) {
    const id = parseId(args.positionals[0], this.usage);
    const raw = args.positionals[1];
    if (!raw || !/^[0-5]$/.test(raw)) throw new ChurchError('INVALID_INPUT', `the rating must be a whole number from 0 to 5; usage: ${this.usage}`);
    const v = await (await ctx.client()).call('library.update', { id, patch: { rating: Number(raw) } });
    ctx.print(v, () => `#${v.id} ${v.title}: ${v.rating ? '★'.repeat(v.rating) : 'unrated'}`);
    return 0;
  },
};

const favCommand: CliCommand = {
  name: 'fav',
  summary: 'Mark an item as a favourite (--off unmarks it)',
  usage: 'church fav ID [--off] [--json]',
  options: { off: { type: 'boolean' } },
  async run(ctx, args) {
    const id = parseId(args.positionals[0], this.usage);
    if (args.positionals.length > 1) throw new ChurchError('INVALID_INPUT', `give one item id; usage: ${this.usage}`);
    const v = await (await ctx.client()).call('library.update', { id, patch: { favourite: args.values.off !== true } });
    ctx.print(v, () => `#${v.id} ${v.title}: ${v.favourite ? '♥ favourite' : 'not a favourite'}`);
    return 0;
  },
};

const duplicatesCommand: CliCommand = {
  name: 'duplicates',
  summary: 'Groups of items with the same content (fingerprint)',
  usage: 'church duplicates [--json]',
  async run(ctx) {
    const groups = await (await ctx.client()).call('library.duplicates', {});
    ctx.print(groups, () =>
      groups.length === 0
        ? 'No duplicates.'
        : groups.map((g) => [`${g.fingerprint}  ${fmtBytes(g.sizeBytes)}  ×${g.items.length}`, ...g.items.map((i) => `  #${i.id} ${i.title}${i.missing ? ' (missing)' : ''}`)].join('\n')).join('\n'),
    );
    return 0;
  },
};

/** The `church` commands of the library domain. */
export const libraryCommands: CliCommand[] = [importCommand, scanCommand, listCommand, searchCommand, showCommand, tagCommand('tag'), tagCommand('untag'), rateCommand, favCommand, duplicatesCommand];
