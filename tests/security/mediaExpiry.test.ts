import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_URL_WINDOW_SEC, mediaKeyFromToken, signedMediaPath } from '../../shared/mediaSignature';
import { church, startServe } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { rawGet } from '../helpers/rawHttp';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs } from '../helpers/wsClient';

// The review's probe against a real `church serve`: whoever holds the browser token (or the media key derived
// from it) signs a media URL for the year 33658, which then works for ever once it leaks.
const dataDir = tempDir('church-sec-exp-');
const uiDir = tempDir('church-sec-exp-ui-');
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>studio</title>');
let serve: Awaited<ReturnType<typeof startServe>>;
let key: Uint8Array;
let videoId = 0;

beforeAll(async () => {
  const media = tempDir('church-sec-exp-media-');
  await makeClip(join(media, 'clip.mp4'), { seconds: 1 });
  expect((await church(['import', media, '--json', '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } })).code).toBe(0);
  serve = await startServe(dataDir, { CHURCH_UI_DIR: uiDir });
  const webToken = new URL(serve.url).searchParams.get('token')!;
  key = mediaKeyFromToken(webToken);
  const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(webToken));
  c.send(JSON.stringify({ id: 1, name: 'library.search', input: {} }));
  videoId = ((await c.next((m) => m.type === 'result')).result?.value as { items: { id: number }[] }).items[0]!.id;
  c.close();
}, 60_000);

afterAll(async () => {
  await serve?.stop();
});

describe('signed media URLs expire within four hours, whatever the signer wrote', () => {
  it('refuses exp=999999999999 and an expiry five hours ahead, and serves the page’s own URLs', async () => {
    const now = Date.now();
    expect((await rawGet(serve.port, signedMediaPath(key, 'video', videoId, undefined, now, 999_999_999_999))).status).toBe(401);
    const fiveHours = Math.floor(now / 1000) + 5 * 3600;
    expect((await rawGet(serve.port, signedMediaPath(key, 'video', videoId, undefined, now, fiveHours))).status).toBe(401);
    // What the page signs (one to two windows ahead) and the longest it could sign still play.
    expect((await rawGet(serve.port, signedMediaPath(key, 'video', videoId, undefined, now))).status).toBe(200);
    const longest = Math.floor(now / 1000) + 2 * MEDIA_URL_WINDOW_SEC;
    expect((await rawGet(serve.port, signedMediaPath(key, 'video', videoId, undefined, now, longest))).status).toBe(200);
  });
});
