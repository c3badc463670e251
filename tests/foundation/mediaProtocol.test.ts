import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMediaPath, parseRange, serveMedia } from '../../electron/platform/mediaserve';
import { startBrowserServer, type BrowserServer } from '../../electron/host/transports/browserServer';
import { testHost } from '../helpers/host';
import { rawGet } from '../helpers/rawHttp';
import { tempDir } from '../helpers/tempDir';

const host = testHost({ startEngines: false });
const dir = tempDir();
const file = join(dir, 'clip.mp4');
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
writeFileSync(file, bytes);
const secret = join(dir, 'secret.txt');
writeFileSync(secret, 'not for the renderer');
const id = Number(host.db.prepare("INSERT INTO videos (path, title, added_at) VALUES (?, 'clip', datetime('now'))").run(file).lastInsertRowid);

// Every form of "a path" a hostile or buggy page could try.
const PATH_FORMS = [
  secret,
  `file://${secret}`,
  '../../etc/passwd',
  '/etc/passwd',
  'video/../../etc/passwd',
  `video/${id}/../../../etc/passwd`,
  `video/${id}/%2e%2e/%2e%2e/etc/passwd`,
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'video%2f..%2f..%2fetc%2fpasswd',
  'C:\\Windows\\win.ini',
  'c:/windows/win.ini',
  '\\\\server\\share\\x.mp4',
  '//server/share/x.mp4',
  `video/${id}\\..\\secret.txt`,
  'video/abc',
  'video/-1',
  'video/0',
  'video/1.5',
  'video/1e3',
  `video/${id}%00.mp4`,
  'video/99999999999999999999',
];

describe('media protocol: library media by id only', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    serveMedia(path, new Request('church-media://x/', { headers }), host.resolveMedia);

  it('serves a library item by id, with ranges', async () => {
    const all = get(`video/${id}`);
    expect(all.status).toBe(200);
    expect(all.headers.get('accept-ranges')).toBe('bytes');
    expect(all.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await all.arrayBuffer())).toEqual(bytes);

    const part = get(`video/${id}`, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const tail = get(`video/${id}`, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));
    expect(get(`video/${id}`, { range: 'bytes=5000-' }).status).toBe(416);
  });

  it('refuses ids that are not in the library', () => {
    for (const p of [`video/${id + 1}`, 'video/424242', `poster/${id}`, 'asset/1']) expect(get(p).status, p).toBe(404);
  });

  it.each(PATH_FORMS)('refuses the path form %s', (p) => {
    const r = get(p);
    expect(r.status).toBe(400);
  });

  it('parses ranges like a web server', () => {
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=9-2', 10)).toBe('invalid');
    expect(parseRange('items=0-1', 10)).toBe('invalid');
    expect(parseRange(null, 10)).toBeNull();
    expect(parseMediaPath('asset/3/720p/index.m3u8')).toEqual({ ok: true, ref: { kind: 'asset', id: 3, file: '720p/index.m3u8' } });
  });

  describe('over HTTP in browser mode', () => {
    let server: BrowserServer;
    const uiDir = tempDir('church-ui-');
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html>');
    beforeAll(async () => {
      server = await startBrowserServer({ host, uiDir });
    });
    afterAll(() => server.close());
    const url = (p: string) => `http://127.0.0.1:${server.port}/media/${p}`;
    const auth = () => ({ authorization: `Bearer ${server.token}` });

    it('serves by id with range support, and needs the token', async () => {
      const r = await fetch(url(`video/${id}`), { headers: { ...auth(), range: 'bytes=0-9' } });
      expect(r.status).toBe(206);
      expect(Buffer.from(await r.arrayBuffer())).toEqual(bytes.subarray(0, 10));
      expect((await fetch(`http://127.0.0.1:${server.port}/media/video/${id}`)).status).toBe(401);
    });

    it('refuses unknown ids and every path form', async () => {
      expect((await fetch(url('video/31337'), { headers: auth() })).status).toBe(404);
      for (const p of PATH_FORMS) {
        const r = await rawGet(server.port, `/media/${p.replace(/^\/+/, '')}`, auth());
        expect(r.status, p).toBe(400);
        expect(r.body).not.toContain('not for the renderer');
      }
    });
  });
});
