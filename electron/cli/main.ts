import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type ContractClient } from '../../shared/contract/client';
import { ChurchError } from '../../shared/errors';
import type { Host, HostOptions } from '../host/createHost';
import { resolveDataDir } from '../host/dataDir';
import { hostTransport } from '../host/transports/inProcess';
import { dirname, join } from 'node:path';
import type { RemoteClient } from '../host/transports/remoteClient';
import type { RequestHost } from '../host/requestHost';
import type { CliCommand, CliContext, StudioClient } from './command';
import { commandTable, loadCommand } from './commands';
import { endQuietlyOnClosedPipe } from './closedPipe';
import { examplesText } from './commands/examples';
import { GLOBAL_OPTIONS, splitArgs } from './globalArgs';
import { explainNativeModuleMismatch } from './nativeModule';
import { explainParseArgsError } from './usageWords';

function helpText(): string {
  const width = Math.max(...commandTable.map((c) => c.name.length));
  return [
    'church — BambiSleep Church Studio without a window',
    '',
    'Usage: church [global options] <command> [options]   (global: --data-dir DIR, --json, --lab URL, --lab-secret-file FILE, --lab-ca FILE, --help; before or after the command)',
    '',
    ...commandTable.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Data dir: --data-dir, else $CHURCH_DATA_DIR, else the app-data folder the desktop app uses.',
  ].join('\n');
}

/** The contract over the services composed in this process. */
function hostClient(h: Host, actor: 'cli' | 'mcp'): ContractClient {
  return createClient(hostTransport(h, actor));
}

function oneLine(e: unknown): string {
  if (e instanceof ChurchError) return e.message;
  if (e instanceof Error) return e.message.split('\n')[0] ?? 'failed';
  return String(e);
}

let pipesWatched = false;

/** Runs one command; returns the exit code. Failures print one line on stderr (a JSON error with --json). */
export async function main(
  argv: string[],
  io: { stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv; /** Electron's better-sqlite3 build, from the desktop app's `--cli`. */ sqliteBinding?: string } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  // Once per process, and only for the process's own streams: a caller's streams are the caller's to handle.
  if (!io.stdout && !io.stderr && !pipesWatched) {
    pipesWatched = true;
    endQuietlyOnClosedPipe(stdout, stderr);
  }
  let env = io.env ?? process.env;
  let wantsJson = argv.includes('--json');
  let host: Host | undefined;
  let requestHost: RequestHost | undefined;
  let remote: RemoteClient | undefined;
  let client: Promise<StudioClient> | undefined;
  let dbFile = 'studio.sqlite';
  try {
    const { name, rest, help, json } = splitArgs(argv);
    wantsJson = json;
    const entry = commandTable.find((c) => c.name === name);
    if (!name || (help && !entry)) {
      stdout.write(helpText() + '\n');
      return name ? 2 : 0;
    }
    if (!entry) throw new ChurchError('INVALID_INPUT', `unknown command "${name}"; run "church --help" for the list`);
    const command: CliCommand = await loadCommand(entry);
    if (help) {
      stdout.write(`${command.usage}\n  ${command.summary}\n${examplesText(command.name)}`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new ChurchError('INVALID_INPUT', explainParseArgsError(e, command.name, { ...GLOBAL_OPTIONS, ...(command.options ?? {}) }));
    }
    const { values, positionals } = parsed;
    // --lab / --lab-secret-file / --lab-ca are the environment's CHURCH_LAB_URL / CHURCH_LAB_SECRET_FILE / CHURCH_LAB_CA_FILE for this command.
    if (typeof values.lab === 'string') env = { ...env, CHURCH_LAB_URL: values.lab };
    if (typeof values['lab-secret-file'] === 'string') env = { ...env, CHURCH_LAB_SECRET_FILE: resolve(values['lab-secret-file']) };
    if (typeof values['lab-ca'] === 'string') env = { ...env, CHURCH_LAB_CA_FILE: resolve(values['lab-ca']) };
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined, env);
    dbFile = join(dataDir, 'studio.sqlite');
    // Loaded here, not at the top: `church --help` and a usage error need none of the services. Every command but
    // those whose engines must run from their first moment (serve, a transcode that waits) gets a host that loads
    // only the domains its requests reach (requestHost.ts): a cold `church list` never loads the lab or Stripe.
    // The doctor composes every domain too: each domain's migrations and first reads are part of what it checks.
    const everyDomain = command.engines === true || command.checkDatabase === 'full';
    const { createHost } = everyDomain ? await import('../host/createHost') : { createHost: null };
    const { openRequestHost } = everyDomain ? { openRequestHost: null } : await import('../host/requestHost');
    // The desktop app's `--cli`: backups and restores open the database through the same (Electron) build.
    if (io.sqliteBinding) (await import('../host/offline')).useSqliteBinding(io.sqliteBinding);
    const hostOptions: HostOptions = { dataDir, env, sqliteBinding: io.sqliteBinding, startEngines: command.engines === true || command.engines === 'when-ready', checkDatabase: command.checkDatabase, logError: (msg, e) => stderr.write(`church: ${msg}: ${oneLine(e)}\n`) };
    const ctx: CliContext = {
      dataDir,
      hostOptions,
      json: values.json === true,
      env,
      stdout,
      stderr,
      startEngines: () => requestHost?.startEngines() ?? Promise.resolve(),
      host: async () => {
        if (requestHost) throw new Error('this command already opened the services for its requests alone');
        host ??= (createHost ?? (await import('../host/createHost')).createHost)(hostOptions);
        return host;
      },
      local: (actor = 'cli') => {
        if (openRequestHost && !host) return createClient(hostTransport((requestHost ??= openRequestHost(hostOptions)), actor));
        // The engines' commands loaded createHost above; a host opened by host() is reused.
        host ??= (createHost as NonNullable<typeof createHost>)(hostOptions);
        return hostClient(host, actor);
      },
      client: (actor = 'cli') =>
        (client ??= (async (): Promise<StudioClient> => {
          const { findLiveInstance } = await import('../host/instance');
          const live = env.CHURCH_NO_ATTACH ? null : findLiveInstance(dataDir);
          if (live) {
            try {
              const { connectRemote } = await import('../host/transports/remoteClient');
              remote = await connectRemote(live.port, live.token, actor);
              return { ...createClient(remote), remote: true };
            } catch {
              // The instance file is stale or the app is shutting down: work locally.
            }
          }
          return { ...ctx.local(actor), remote: false };
        })()),
      print: (data, human) => stdout.write((values.json === true ? JSON.stringify(data, null, 2) : human()) + '\n'),
    };
    return await command.run(ctx, { values, positionals });
  } catch (caught) {
    // A damaged page found by a query (one-shot commands skip the start check) reads like the start check's words.
    // It names what is wrong and the way back (the snapshot to restore), as the app's recovery screen does.
    let e = caught;
    const code_ = String((caught as { code?: unknown } | null)?.code ?? '');
    if (caught instanceof Error && (caught.name === 'DatabaseProblem' || caught.name === 'NewerSchemaError' || code_.startsWith('SQLITE_'))) {
      const { explainDatabaseFailure } = await import('../host/offline');
      e = explainDatabaseFailure(caught, dirname(dbFile)) ?? caught;
    }
    const native = explainNativeModuleMismatch(e);
    const code = e instanceof ChurchError ? e.code : native ? 'UNAVAILABLE' : 'INTERNAL';
    const message = native ?? oneLine(e);
    if (wantsJson) stderr.write(JSON.stringify({ error: { code, message } }) + '\n');
    else stderr.write(`church: ${message}\n`);
    return code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    remote?.close();
    await host?.close();
    await requestHost?.close();
  }
}
