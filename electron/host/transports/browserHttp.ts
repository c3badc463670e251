import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { serveMedia } from '../../platform/mediaserve';
import type { Host } from '../createHost';
import type { BrowserGate } from './browserGate';
import { send, serveStatic } from './browserStatic';

export interface HttpDeps {
  gate: BrowserGate;
  /** Read per request: a RecoverableStudio swaps the host it stands for. */
  host: Pick<Host, 'resolveMedia'>;
  /** The built renderer, normalized. */
  uiRoot: string;
}

/** The HTTP side of `church serve`: media by library id, and the built UI. */
export function httpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      console.error('browser server request failed', e);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  };
}

async function handle(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { gate } = deps;
  if (!gate.hostOk(req)) return send(res, 421, 'this server answers only to 127.0.0.1 and localhost');
  // Judge the path as sent: URL parsing would silently resolve "..", turning a traversal into another route.
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\|%00/i.test(rawPath)) {
    return send(res, rawPath.startsWith('/media/') ? 400 : 404, 'paths are not accepted; media is addressed by library id');
  }
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${gate.port}`);
  if (url.pathname.startsWith('/media/')) return serveMediaRequest(deps, req, res, url);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
  // The page and its assets hold no secret: the token (from the printed URL, kept in session storage by the
  // page) is what the WebSocket and media need.
  serveStatic(deps.uiRoot, res, url.pathname);
}

/** A signed media link, or an unsigned one from a client that presents a credential. */
async function serveMediaRequest(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice('/media/'.length);
  const mediaPath = path.startsWith('~') ? deps.gate.signedMedia(path) : deps.gate.actorOf(req) ? path : null;
  if (mediaPath === null) return send(res, 401, 'this media link has expired or is not signed; reload the studio page');
  const request = new Request(url, { method: req.method, headers: { range: req.headers.range ?? '' } });
  const response = serveMedia(mediaPath, request, deps.host.resolveMedia);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end(await response.text());
  Readable.fromWeb(response.body as NodeReadableStream).on('error', () => res.destroy()).pipe(res);
}
