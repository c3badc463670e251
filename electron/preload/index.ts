/**
 * The only bridge between the sandboxed page and main: one `invoke` and one `on`, typed by the contract.
 * No Node, no Electron objects, no paths reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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
