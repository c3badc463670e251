import { protocol } from 'electron';
import { serveMedia, type MediaResolver } from '../../platform/mediaserve';

export const MEDIA_SCHEME = 'church-media';

/** Must run before `app.ready`: a standard, secure scheme that supports fetch and streaming (range requests). */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
  ]);
}

/** `church-media://video/12` → the file of library item 12; the page never names a path. */
export function handleMediaProtocol(resolve: MediaResolver): void {
  protocol.handle(MEDIA_SCHEME, (request) => {
    const url = new URL(request.url);
    return serveMedia(`${url.host}${url.pathname}`, request, resolve);
  });
}
