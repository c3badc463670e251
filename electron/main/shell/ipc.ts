import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS } from '../../../shared/contract';
import type { Host } from '../../host/createHost';
import { createIpcInvokeHandler } from '../../host/transports/ipcBinding';

/** Binds the contract to the window: the host, or the RecoverableStudio that stands for it across re-creations. */
export function bindIpc(host: Pick<Host, 'dispatch' | 'events'>, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNELS.invoke, createIpcInvokeHandler(host.dispatch, isTrustedUrl));
  const unsubscribe = host.events.subscribe((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && isTrustedUrl(win.webContents.getURL())) win.webContents.send(IPC_CHANNELS.event, name, payload);
    }
  });
  ipcMain.handle(IPC_CHANNELS.pickFile, (e, extensions: unknown) => pickFile(e, extensions, isTrustedUrl));
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeHandler(IPC_CHANNELS.pickFile);
  };
}

/**
 * A file field's "Choose…" (or the import field's "Choose folder…") in the window: the native open dialog, asked
 * only by the app's own top-level page.
 * Returns the chosen path, or null when the owner cancelled (or a foreign frame asked).
 */
async function pickFile(e: IpcMainInvokeEvent, extensions: unknown, isTrustedUrl: (url: string) => boolean): Promise<string | null> {
  const frame = e.senderFrame;
  if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) return null;
  const exts = Array.isArray(extensions) ? extensions.filter((x): x is string => typeof x === 'string' && /^\.\w{1,10}$/.test(x)).slice(0, 20) : [];
  const win = BrowserWindow.fromWebContents(e.sender);
  // 'folder': the import field's "Choose folder…"; else a file of the given endings.
  const options =
    extensions === 'folder'
      ? { properties: ['openDirectory' as const] }
      : { properties: ['openFile' as const], filters: exts.length ? [{ name: 'Supported files', extensions: exts.map((x) => x.slice(1)) }] : [] };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}
