import type { IncomingMessage } from 'node:http';
import { MEDIA_URL_MAX_SEC, mediaKeyFromToken, mediaSignature, splitSignedPrefix } from '../../../shared/mediaSignature';
import type { Actor } from '../handlers/types';
import { actorForToken, sameSecret } from './credentials';

/** A browser sends its token as a second WebSocket subprotocol, `church.token.<token>`. */
const TOKEN_PROTOCOL_PREFIX = 'church.token.';

/**
 * The token a client presents: a WebSocket subprotocol (what a browser can set) or an `Authorization: Bearer`
 * header (the CLI, MCP, scripts). Never a cookie: a browser sends 127.0.0.1's cookies to every port on it.
 */
function presentedToken(req: IncomingMessage): string | null {
  for (const p of (req.headers['sec-websocket-protocol'] ?? '').split(',')) {
    const v = p.trim();
    if (v.startsWith(TOKEN_PROTOCOL_PREFIX)) return v.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return auth ? auth[1]! : null;
}

/**
 * Who may reach `church serve`: the Host and Origin checks (against another web page or a DNS-rebinding trick),
 * the actor a credential stands for, and the signature of a media link.
 */
export class BrowserGate {
  /** Set once the server listens; the Host and Origin checks name it. */
  port = 0;
  private readonly mediaKey: Uint8Array;

  constructor(private readonly creds: { webToken: string; attachKey: string }) {
    this.mediaKey = mediaKeyFromToken(creds.webToken);
  }

  hostOk(req: IncomingMessage): boolean {
    return new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`]).has(req.headers.host ?? '');
  }

  originOk(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`;
  }

  actorOf(req: IncomingMessage): Actor | null {
    return actorForToken(presentedToken(req), this.creds);
  }

  /**
   * `~<exp>.<sig>/<kind>/<id>/…` with a valid signature, unexpired, and expiring within MEDIA_URL_MAX_SEC (the
   * server's cap, whatever the signer chose): the rest of the path; else null.
   */
  signedMedia(path: string, now = Date.now()): string | null {
    const signed = splitSignedPrefix(path);
    if (!signed || signed.exp * 1000 < now || signed.exp * 1000 > now + MEDIA_URL_MAX_SEC * 1000) return null;
    const m = /^([a-z]+)\/([0-9]{1,15})(\/|$)/.exec(signed.rest);
    if (!m) return null;
    return sameSecret(signed.sig, mediaSignature(this.mediaKey, signed.exp, m[1]!, Number(m[2]))) ? signed.rest : null;
  }
}
