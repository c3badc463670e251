import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** A file of the built UI under `uiRoot` (normalized); client-side routes get the app page. */
export function serveStatic(uiRoot: string, res: ServerResponse, pathname: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'the address is not valid percent-encoding');
  }
  const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = normalize(join(uiRoot, rel));
  if (!file.startsWith(uiRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
    // Client-side routes fall back to the app page.
    if (!extname(rel)) return serveStatic(uiRoot, res, '/');
    return send(res, 404, 'not found');
  }
  const headers: Record<string, string> = {
    'content-type': STATIC_TYPES[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  };
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}
