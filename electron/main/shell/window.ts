import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { hardenContents } from './security';

export function createMainWindow(opts: { preload: string; rendererUrl: string; icon?: string; isTrustedUrl: (u: string) => boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'BambiSleep Church Studio',
    icon: opts.icon,
    backgroundColor: '#15101c',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents, opts.isTrustedUrl);
  win.once('ready-to-show', () => win.show());
  if (opts.rendererUrl.startsWith('file:')) void win.loadFile(join(new URL(opts.rendererUrl).pathname));
  else void win.loadURL(opts.rendererUrl);
  return win;
}
