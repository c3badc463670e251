import type { ChurchApi } from '../../../shared/contract';
import { bridgeTransport, type ContractTransport } from '../../../shared/contract/client';
import type { MediaKind } from '../../../shared/dto/media';
import { createMediaSigner, mediaKeyFromToken } from '../../../shared/mediaSignature';
import { createWsTransport } from './wsTransport';

const TOKEN_KEY = 'church-token';
/** The contract's WebSocket subprotocol (see browserServer.ts). */
const WS_PROTOCOL = 'church.v1';

declare global {
  interface Window {
    church?: ChurchApi;
    churchMedia?: { scheme: string };
    /** Electron only: the filesystem path of a dropped File ('' when it has none). */
    churchFiles?: { pathForFile(file: File): string; pickFile?(extensions: string[] | 'folder'): Promise<string | null> };
  }
}

export interface Transport {
  api: ContractTransport;
  kind: 'electron' | 'browser';
  /** The URL the page uses to load a library item; it names an id, never a path. */
  mediaUrl(kind: MediaKind, id: number, file?: string): string;
  onStatus(cb: (connected: boolean) => void): () => void;
}

/** Browser mode opened without the token of the printed URL (and none kept in this tab): nothing can work. */
export function browserTokenMissing(): boolean {
  return !window.church && !new URLSearchParams(location.search).get('token') && !sessionStorage.getItem(TOKEN_KEY);
}

/** Chosen once at start: the preload bridge inside Electron, else a WebSocket to `church serve`. */
export function pickTransport(): Transport {
  if (window.church) {
    const scheme = window.churchMedia?.scheme ?? 'church-media';
    return {
      api: bridgeTransport(window.church),
      kind: 'electron',
      mediaUrl: (kind, id, file) => `${scheme}://${kind}/${id}${file ? `/${file}` : ''}`,
      onStatus: (cb) => {
        cb(true);
        return () => undefined;
      },
    };
  }
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  // The token lives in this tab's session storage only (never a cookie: a browser sends 127.0.0.1's cookies
  // to every port on it) and leaves the address bar and history at once.
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', location.pathname + location.hash); // the place (#/…) stays
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const signMedia = createMediaSigner(mediaKeyFromToken(token));
  const ws = createWsTransport(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, [WS_PROTOCOL, `church.token.${token}`]);
  return {
    api: ws,
    kind: 'browser',
    mediaUrl: (kind, id, file) => signMedia(kind, id, file),
    onStatus: ws.onStatus,
  };
}
