import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuditEntry } from '../../../shared/dto/system';
import { ChurchError } from '../../../shared/errors';
import type { CliCommand, CliContext, ParsedArgs } from '../command';

/** How often `--follow` looks for new entries: a log shipper's pace, not a busy loop. */
const FOLLOW_POLL_MS = 500;

function humanLine(r: AuditEntry): string {
  return `${r.at}  ${r.actor.padEnd(6)} ${r.ok ? 'ok  ' : 'FAIL'} ${r.action}  ${r.input}`;
}

function positiveInt(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ChurchError('INVALID_INPUT', `--${name} must be a whole number, got ${String(raw)}`);
  return n;
}

/**
 * The newest entries, then each one as it is committed, one line each (JSON lines with --json), until Ctrl+C or
 * SIGTERM. It reads the database file itself, read-only and without the studio's lock, so it follows what the
 * running studio and every other `church` command write, and never keeps a studio from starting.
 */
async function follow(ctx: CliContext, limit: number): Promise<number> {
  const file = join(ctx.dataDir, 'studio.sqlite');
  if (!existsSync(file)) throw new ChurchError('NOT_FOUND', `no studio database in ${ctx.dataDir} yet; start the studio (church serve) first, or pass --data-dir`);
  const { openAuditReader } = await import('../../host/offline');
  const reader = openAuditReader(file, ctx.hostOptions.sqliteBinding);
  const print = (e: AuditEntry) => ctx.stdout.write((ctx.json ? JSON.stringify(e) : humanLine(e)) + '\n');
  let last = 0;
  const emit = (entries: AuditEntry[]) => {
    for (const e of entries) {
      print(e);
      last = e.id;
    }
  };
  try {
    const newest = reader.newest(Math.max(limit, 1));
    if (limit > 0) emit(newest);
    else last = newest.at(-1)?.id ?? 0;
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        try {
          emit(reader.after(last, 500));
        } catch (e) {
          ctx.stderr.write(`church: the audit log could not be read: ${(e as Error).message}\n`);
        }
      }, FOLLOW_POLL_MS);
      const stop = () => {
        clearInterval(timer);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        ctx.stdout.off('error', stop);
        done();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // A reader that went away (`church audit --follow | head`) ends the follow quietly.
      ctx.stdout.once('error', stop);
    });
    return 0;
  } finally {
    reader.close();
  }
}

function parseSize(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)([kKmMgG]?)$/.exec(String(raw));
  if (!m) throw new ChurchError('INVALID_INPUT', `--max-size must be a size such as 10M, 512K or 1048576, got ${String(raw)}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

/** `church audit file [PATH.jsonl | off] [--max-size 10M] [--keep 5]`: shows or changes the JSON-lines audit file. */
async function fileSettings(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const target = args.positionals[1];
  const maxBytes = parseSize(args.values['max-size']);
  const keep = args.values.keep === undefined ? undefined : positiveInt(args.values.keep, 'keep', 5);
  const client = await ctx.client();
  const changes = {
    ...(target === undefined ? {} : { path: target === 'off' ? null : resolve(target) }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(keep === undefined ? {} : { keep }),
  };
  const s = Object.keys(changes).length ? await client.call('audit.setFileSettings', changes) : await client.call('audit.fileSettings', {});
  ctx.print(s, () => (s.path ? `audit file ${s.path} (0600), rotated at ${s.maxBytes} bytes, ${s.keep} older files kept` : 'no audit file (church audit file PATH.jsonl turns it on)'));
  return 0;
}

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Show the newest entries of the audit log',
  usage: 'church audit [--limit N] [--follow] [--json]  |  church audit file [PATH.jsonl | off] [--max-size 10M] [--keep N]',
  options: { limit: { type: 'string' }, follow: { type: 'boolean', short: 'f' }, 'max-size': { type: 'string' }, keep: { type: 'string' } },
  async run(ctx, args) {
    if (args.positionals[0] === 'file') return fileSettings(ctx, args);
    if (args.positionals.length) throw new ChurchError('INVALID_INPUT', `unknown "church audit ${args.positionals[0]}"; usage: ${this.usage}`);
    if (args.values.follow === true) return follow(ctx, positiveInt(args.values.limit, 'limit', 10));
    const limit = positiveInt(args.values.limit, 'limit', 50);
    const rows = await ctx.local().call('audit.recent', { limit });
    ctx.print(rows, () => rows.map(humanLine).join('\n') || 'no entries');
    return 0;
  },
};
