/**
 * Electron entry: the thin shell. It composes the same host as the CLI and browser mode and binds it to
 * a window; every capability lives in ./services, which never import 'electron'.
 */
import { app, BrowserWindow, dialog, globalShortcut } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RecoverableStudio } from '../host/startOrRecover';
import { publishInstance } from '../host/instance';
import { startBrowserServer, type BrowserServer } from '../host/transports/browserServer';
import { EncryptedFileSecretStore } from '../platform/secrets';
import { bindIpc } from './shell/ipc';
import { handleMediaProtocol, registerMediaScheme } from './shell/mediaProtocol';
import { safeStorageCipher } from './shell/safeStorageCipher';
import { electronSqliteBinding } from './shell/sqliteBinding';
import { denyAllPermissions, makeIsTrustedUrl } from './shell/security';
import { registerKillShortcut, runOrExplain } from './shell/killSwitchTriggers';
import { showMonitorNotifications } from './shell/notifications';
import { createTray } from './shell/tray';
import { createMainWindow } from './shell/window';

/**
 * The installed app's `church` command: `<app> --cli <command> …` runs the compiled CLI on this runtime, so it loads
 * the same better-sqlite3 build as the window (the deb's /usr/bin/church and the AppImage's `--cli` call this).
 * No window, no single-instance lock: a CLI call must work while the window is open (it attaches to it).
 */
const cliAt = process.argv.indexOf('--cli');
const cliMode = cliAt !== -1;

/** Electron's own better-sqlite3 build when started from a checkout; a package has it in place. */
const sqliteBinding = electronSqliteBinding(app.isPackaged, app.getAppPath());

async function runCli(args: string[]): Promise<void> {
  app.dock?.hide();
  let code = 1;
  try {
    const cli = (await import(pathToFileURL(join(import.meta.dirname, '../cli/main.js')).href)) as { main: (argv: string[], io: { sqliteBinding?: string }) => Promise<number> };
    code = await cli.main(args, { sqliteBinding });
  } catch (e) {
    process.stderr.write(`church: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  }
  // Let what the command printed reach a pipe before the runtime exits.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  app.exit(code);
}

if (cliMode) {
  void runCli(process.argv.slice(cliAt + 1));
} else {
  registerMediaScheme();
  if (!app.requestSingleInstanceLock()) app.quit();
  else void start().catch(onStartFailure);
}

let studio: RecoverableStudio | null = null;
let control: { server: BrowserServer; unpublish: () => void } | null = null;
let mainWindow: BrowserWindow | null = null;
let stopNotifications: (() => void) | null = null;

process.on('uncaughtException', (e) => console.error('uncaught exception in main:', e));
process.on('unhandledRejection', (e) => console.error('unhandled rejection in main:', e));

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.CHURCH_DATA_DIR ?? app.getPath('userData');
  // A broken database or a full disk opens the renderer's recovery screen (what broke, what to do) in the window,
  // never a silent exit; a restore there or in Settings → Backups re-creates the host behind the same bindings.
  const live = new RecoverableStudio(
    { dataDir, sqliteBinding, secrets: new EncryptedFileSecretStore(join(dataDir, 'secrets'), safeStorageCipher) },
    {
      onQuit: () => {
        app.releaseSingleInstanceLock();
        app.quit();
      },
    },
  );
  studio = live;
  live.start();
  denyAllPermissions();
  handleMediaProtocol(live.resolveMedia);

  // The dev server's URL is honoured only from a source checkout: an installed app loads nothing but its own files.
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const rendererUrl = devUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
  const isTrustedUrl = makeIsTrustedUrl(rendererUrl);
  bindIpc(live, isTrustedUrl);

  // The loopback endpoint `church` and `church mcp` attach to while the window is open (see host/instance.ts).
  try {
    const server = await startBrowserServer({ host: live, uiDir: join(import.meta.dirname, '../renderer') });
    control = { server, unpublish: publishInstance(dataDir, { port: server.port, token: server.attachKey, kind: 'desktop' }) };
  } catch (e) {
    console.error('the CLI/MCP attach endpoint could not start; they will open their own services:', e);
  }

  const icon = join(app.isPackaged ? process.resourcesPath : join(import.meta.dirname, '../../resources'), 'icon.png');
  const open = () => (mainWindow = createMainWindow({ preload: join(import.meta.dirname, '../preload/index.cjs'), rendererUrl, icon, isTrustedUrl }));
  open();
  createTray(icon, () => mainWindow, () => runOrExplain(live.current()?.dispatch ?? null, 'tray'));
  registerKillShortcut(() => live.current()?.dispatch ?? null);
  stopNotifications = showMonitorNotifications(live, () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => {
  globalShortcut.unregisterAll();
  stopNotifications?.();
  control?.unpublish();
  void control?.server.close();
  void studio?.close();
});

/** Whatever else fails while starting: say so and quit, so a relaunch is not swallowed by a lingering process. */
async function onStartFailure(e: unknown): Promise<void> {
  console.error('the studio could not start:', e);
  dialog.showErrorBox('BambiSleep Church Studio could not start', `${e instanceof Error ? e.message : String(e)}\n\nStart it again; if this repeats, run "church doctor" in a terminal.`);
  control?.unpublish();
  await studio?.close().catch(() => undefined); // releases primary.lock
  app.releaseSingleInstanceLock();
  app.exit(1);
}
