import type { ChurchApi } from '../../../shared/contract';
import type { MediaKind } from '../../../shared/dto/media';
import { createWsTransport } from './wsTransport';

declare global {
  interface Window {
    church?: ChurchApi;
    churchMedia?: { scheme: string };
    /** Electron only: the filesystem path of a dropped File ('' when it has none). */
    churchFiles?: { pathForFile(file: File): string };
  }
}

export interface Transport {
  api: ChurchApi;
  kind: 'electron' | 'browser';
  /** The URL the page uses to load a library item; it names an id, never a path. */
  mediaUrl(kind: MediaKind, id: number, file?: string): string;
  onStatus(cb: (connected: boolean) => void): () => void;
}

/** Chosen once at start: the preload bridge inside Electron, else a WebSocket to `church serve`. */
export function pickTransport(): Transport {
  if (window.church) {
    const scheme = window.churchMedia?.scheme ?? 'church-media';
    return {
      api: window.church,
      kind: 'electron',
      mediaUrl: (kind, id, file) => `${scheme}://${kind}/${id}${file ? `/${file}` : ''}`,
      onStatus: (cb) => {
        cb(true);
        return () => undefined;
      },
    };
  }
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token) sessionStorage.setItem('church-token', token);
  const saved = token ?? sessionStorage.getItem('church-token') ?? '';
  // The token has been exchanged for a cookie; keep it out of the address bar and history.
  if (token) history.replaceState(null, '', location.pathname);
  const ws = createWsTransport(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(saved)}`);
  return {
    api: ws,
    kind: 'browser',
    mediaUrl: (kind, id, file) => `/media/${kind}/${id}${file ? `/${file}` : ''}`,
    onStatus: ws.onStatus,
  };
}
