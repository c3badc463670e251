import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChurchError } from '../../../shared/errors';
import { appInfo, packageRoot } from '../../host/appInfo';
import { findLiveInstance, publishInstance } from '../../host/instance';
import { createLineLog, logStudioEvents, parseLogLevel, stderrIsJournal, type LineLog } from '../../host/serveLog';
import { RecoverableStudio } from '../../host/startOrRecover';
import { startBrowserServer } from '../../host/transports/browserServer';
import type { CliCommand } from '../command';

/**
 * After SIGTERM, SIGINT or SIGHUP the studio closes in order, but a peer may hold a socket open (an SMTP server that greets
 * and never answers keeps the mail client waiting for minutes; a page that never hangs up). None of that may keep
 * `church serve` alive: at this deadline it exits regardless (a service manager's stop waits for it; 5 s is the
 * promise, the rest is margin for the exit itself).
 */
const SHUTDOWN_DEADLINE_MS = 4_000;
/** Once everything the studio owns is closed, what still holds the process is a peer's: a moment to flush output. */
const AFTER_CLOSE_MS = 300;

function exitAtDeadline(log: LineLog, closed: () => boolean): void {
  setTimeout(() => {
    if (!closed()) log.log('error', `the studio was still closing ${SHUTDOWN_DEADLINE_MS / 1000} s after the stop signal; exiting anyway`);
    process.exit(closed() ? 0 : 1);
  }, SHUTDOWN_DEADLINE_MS).unref();
}

/** A second studio on one data dir would start quietly beside the first (a second URL, no engines of its own). */
function refuseWhenAlreadyOpen(dataDir: string): void {
  const live = findLiveInstance(dataDir);
  if (!live) return;
  const who = live.kind === 'desktop' ? `the desktop app (pid ${live.pid})` : `church serve (pid ${live.pid}) at http://127.0.0.1:${live.port}/`;
  throw new ChurchError('CONFLICT', `the studio is already open on this data dir: ${who}; use that one (its URL with the token is what it printed), or stop it first (kill ${live.pid})`);
}

/** Listening can fail for reasons a person fixes with --port: say that, not "listen EADDRINUSE 127.0.0.1:8080". */
function listenProblem(e: unknown, port: number): ChurchError | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new ChurchError('UNAVAILABLE', `port ${port} is in use; choose another with --port (or leave it out for a free one)`);
  if (code === 'EACCES') return new ChurchError('UNAVAILABLE', `port ${port} needs privileges this user does not have; choose one above 1023 with --port`);
  return null;
}

/** The stop signals: a terminal's Ctrl+C, a service manager's stop, and a closed terminal or SSH session. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the studio in a browser: the UI and the contract on 127.0.0.1 only',
  usage: 'church serve [--port N] [--log-level error|warn|info|debug] [--json]',
  options: { port: { type: 'string' }, 'log-level': { type: 'string' } },
  engines: true,
  async run(ctx, args) {
    const uiDir = ctx.env.CHURCH_UI_DIR ?? join(packageRoot(), 'out', 'renderer');
    if (!existsSync(join(uiDir, 'index.html'))) {
      throw new ChurchError('UNAVAILABLE', `the UI is not built (no ${join(uiDir, 'index.html')}); run "npm run build" first`);
    }
    const port = args.values.port === undefined ? 0 : Number(args.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ChurchError('INVALID_INPUT', `--port must be a whole number from 0 to 65535 (0: any free port), not ${JSON.stringify(args.values.port)}`);
    refuseWhenAlreadyOpen(ctx.dataDir);
    // One line per event on standard error (journald's stream under systemd); the page's address stays on stdout.
    const log = createLineLog({ level: parseLogLevel(args.values['log-level']), write: (line) => ctx.stderr.write(line), journal: stderrIsJournal(ctx.env), json: ctx.json });
    const hostOptions = { ...ctx.hostOptions, logError: (msg: string, e: unknown) => log.log('error', `${msg}: ${e instanceof Error ? e.message : String(e)}`) };
    let stop: (quit: boolean) => void = () => undefined;
    const stopped = new Promise<boolean>((resolve) => {
      stop = resolve;
    });
    // A broken database serves the recovery screen (as the window shows it) instead of exiting; whatever else
    // stops the start (a full disk, a data folder that is a file) is said in one line, exit 1.
    const studio = new RecoverableStudio(hostOptions, { onQuit: () => stop(true), onStartFailure: () => undefined });
    const state = studio.start();
    if (state.state === 'recovery' && state.failure?.kind !== 'database') throw new ChurchError('UNAVAILABLE', state.failure?.message ?? 'the studio could not start');
    // A start that failed is said once, in the error line; from here on every event is a log line.
    const app = appInfo();
    const unlog = logStudioEvents(studio.events, log);
    try {
      const server = await startBrowserServer({
        host: studio,
        uiDir,
        port,
        onClient: (c) => log.log('info', `client ${c.connected ? 'connected' : 'disconnected'} (${c.actor}; ${c.clients} connected)`),
      }).catch((e: unknown) => {
        throw listenProblem(e, port) ?? e;
      });
      // Said once it serves: a port in use is then the one line on stderr, as for any refused start.
      log.log('info', `started ${app.name} ${app.version} (church serve, pid ${process.pid}, data dir ${ctx.dataDir}${state.state === 'recovery' ? ', recovery screen' : ''})`);
      log.log('info', `listening on http://127.0.0.1:${server.port}/ (the page's address with its token is on standard output)`);
      // Listening for the stop signals before the address is printed: whoever reads it may stop the studio at once.
      let closed = false;
      let signalled = false;
      const onSignal = (signal: NodeJS.Signals) => {
        signalled = true;
        log.log('info', `stopping (${signal})`);
        exitAtDeadline(log, () => closed);
        stop(false);
      };
      for (const sig of STOP_SIGNALS) process.once(sig, onSignal);
      const unpublish = publishInstance(ctx.dataDir, { port: server.port, token: server.attachKey, kind: 'serve' });
      const recovery = state.state === 'recovery' ? state.failure : null;
      ctx.print({ url: server.url, port: server.port, dataDir: ctx.dataDir, startCheck: studio.current()?.startCheck ?? null, recovery: recovery ? { problem: recovery.problem, title: recovery.title } : null }, () =>
        recovery
          ? `${recovery.title}: open the recovery screen at\n  ${server.url}\nto restore a snapshot, start empty or quit (loopback only; press Ctrl+C to stop)`
          : `BambiSleep Church Studio is serving at\n  ${server.url}\n(loopback only; press Ctrl+C to stop)`,
      );
      const quit = await stopped;
      for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
      unpublish();
      await server.close();
      await studio.close();
      closed = true;
      log.log('info', 'stopped');
      if (signalled) setTimeout(() => process.exit(0), AFTER_CLOSE_MS).unref();
      if (quit) throw new ChurchError('UNAVAILABLE', 'Quit was chosen on the recovery screen; the database was left as it was ("church doctor" says what is wrong)');
      return 0;
    } finally {
      unlog();
      await studio.close();
    }
  },
};
