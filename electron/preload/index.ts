/**
 * The only bridge between the sandboxed page and main: one `invoke` and one `on`, typed by the contract.
 * No Node, no Electron objects, no paths reach the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type ChurchApi } from '../../shared/contract';

const api: ChurchApi = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_CHANNELS.invoke, name, input),
  on: (name, listener) => {
    const handler = (_e: IpcRendererEvent, eventName: string, payload: unknown) => {
      if (eventName === name) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
  },
};

contextBridge.exposeInMainWorld('church', api);
contextBridge.exposeInMainWorld('churchMedia', { scheme: 'church-media' });
// Drag-and-drop import: the path of a File the owner dropped on the window (Electron removed File.path).
// It only answers for File objects the page already holds, i.e. what the owner chose to drop.
contextBridge.exposeInMainWorld('churchFiles', {
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
  // A file field's "Choose…" (a folder for the import field): the native dialog; the path picked, or null when cancelled.
  pickFile: (extensions: string[] | 'folder'): Promise<string | null> => ipcRenderer.invoke(IPC_CHANNELS.pickFile, extensions),
});
