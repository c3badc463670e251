import { BrowserWindow, ipcMain } from 'electron';
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
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
  };
}
