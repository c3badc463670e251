import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DerivedOutput } from '../../shared/dto/library';
import { serveMedia } from '../../electron/platform/mediaserve';
import { buildPosterArgs, buildSpriteArgs, buildSpriteVtt, posterSeekSec, resolveBinary, spriteGeometry } from '../../electron/platform/media';
import { assetDir } from '../../electron/domains/library';
import { runProcess } from '../../electron/platform/process';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';
import { clip } from '../helpers/libraryFiles';

const host = testHost();
const src = tempDir('church-lib-assets-');
let shortId: number;
let longId: number;

async function imageSize(file: string): Promise<{ width: number; height: number }> {
  const r = await runProcess(resolveBinary('ffprobe').path!, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', file]);
  const s = (JSON.parse(r.stdout) as { streams: { width: number; height: number }[] }).streams[0]!;
  return { width: s.width, height: s.height };
}

beforeAll(async () => {
  await clip(join(src, 'blink.mp4'), { seconds: 0.5, audio: false });
  // Twelve seconds with a keyframe every second, so the sprite's keyframe selection is predictable.
  await clip(join(src, 'twelve.mp4'), { seconds: 12, audio: false, extra: ['-g', '25', '-keyint_min', '25', '-sc_threshold', '0'] });
  const summary = await host.library.import([src]);
  expect(summary.assets).toEqual({ generated: 2, failed: 0 });
  const items = host.library.search({ sort: 'title', order: 'asc', limit: 10, offset: 0, withTotal: true }).items;
  shortId = items.find((i) => i.title === 'blink')!.id;
  longId = items.find((i) => i.title === 'twelve')!.id;
}, 60_000);

describe('argument builders', () => {
  it('seeks the poster 10% in, clamped for short clips, with input seeking', () => {
    expect(posterSeekSec(1200)).toBe(120);
    expect(posterSeekSec(0.5)).toBe(0.05);
    expect(posterSeekSec(0.05)).toBe(0);
    expect(posterSeekSec(null)).toBe(0);
    const args = buildPosterArgs({ input: '/v/-y $(x).mp4', output: '/o/p.jpg', seekSec: 12.5 });
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-i') + 1]).toBe('file:/v/-y $(x).mp4');
    expect(args[args.indexOf('-ss') + 1]).toBe('12.500');
  });

  it('builds a one-pass keyframe sprite and a VTT whose cues tile the sheet', () => {
    const g = spriteGeometry(600, { width: 1920, height: 1080 });
    expect(g).toEqual({ columns: 10, rows: 6, tileWidth: 160, tileHeight: 90, intervalSec: 10 });
    const args = buildSpriteArgs('/in.mp4', '/out.jpg', g);
    expect(args.slice(args.indexOf('-skip_frame'), args.indexOf('-skip_frame') + 2)).toEqual(['-skip_frame', 'nokey']);
    expect(args.indexOf('-skip_frame')).toBeLessThan(args.indexOf('-i'));
    expect(args[args.indexOf('-vf') + 1]).toBe("select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,10)',scale=160:90:flags=bilinear,setsar=1,showinfo,tile=10x6");
    const vtt = buildSpriteVtt([0, 10, 20.5], 30, { ...g, columns: 2, rows: 2 });
    expect(vtt).toBe(['WEBVTT', '', '00:00:00.000 --> 00:00:10.000', 'sprite.jpg#xywh=0,0,160,90', '', '00:00:10.000 --> 00:00:20.500', 'sprite.jpg#xywh=160,0,160,90', '', '00:00:20.500 --> 00:00:30.000', 'sprite.jpg#xywh=0,90,160,90', ''].join('\n'));
  });
});

describe('generated assets', () => {
  it('gives a 0.5 s clip a poster', async () => {
    const v = host.library.getVideo(shortId)!;
    expect(v.hasPoster).toBe(true);
    const poster = join(assetDir(join(host.dataDir, 'library-assets'), v.fingerprint), 'poster.jpg');
    // Posters are never larger than the video: a 320x240 clip gets a 320x240 poster, not a stretched 640x480.
    expect(await imageSize(poster)).toEqual({ width: 320, height: 240 });
  });

  it('writes a sprite sheet from keyframes and a VTT that points into it', async () => {
    const v = host.library.getVideo(longId)!;
    expect(v.hasSprite).toBe(true);
    const dir = assetDir(join(host.dataDir, 'library-assets'), v.fingerprint);
    // 12 s → a tile every 1.2 s at most; keyframes each second → kept at 0, 2, 4, 6, 8, 10 s.
    const vtt = readFileSync(join(dir, 'sprite.vtt'), 'utf8');
    const cues = [...vtt.matchAll(/(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\nsprite\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)/g)];
    expect(cues.map((c) => c[1])).toEqual(['00:00:00.000', '00:00:02.000', '00:00:04.000', '00:00:06.000', '00:00:08.000', '00:00:10.000']);
    expect(cues.at(-1)?.[2]).toBe('00:00:12.000');
    expect(cues.map((c) => Number(c[3]))).toEqual([0, 160, 320, 480, 640, 800]);
    expect(cues.every((c) => c[5] === '160' && c[6] === '120')).toBe(true);
    // The sheet is a 10x1 grid of 160x120 tiles.
    expect(await imageSize(join(dir, 'sprite.jpg'))).toEqual({ width: 1600, height: 120 });
  });

  it('regenerates assets that went missing, on a rescan', async () => {
    const v = host.library.getVideo(shortId)!;
    const poster = join(assetDir(join(host.dataDir, 'library-assets'), v.fingerprint), 'poster.jpg');
    rmSync(poster);
    const again = await host.library.scan();
    expect(again.assets.generated).toBe(1);
    expect(readFileSync(poster).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  }, 30_000);
});

describe('media protocol: poster, sprite and derived outputs by id', () => {
  const get = (path: string) => serveMedia(path, new Request('church-media://x/'), host.resolveMedia);

  it('serves the poster and the sprite files, and nothing else of the asset folder', async () => {
    const poster = get(`poster/${shortId}`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(get(`sprite/${longId}/sprite.jpg`).headers.get('content-type')).toBe('image/jpeg');
    const vtt = get(`sprite/${longId}/sprite.vtt`);
    expect(vtt.headers.get('content-type')).toBe('text/vtt');
    expect(await vtt.text()).toMatch(/^WEBVTT/);
    expect(get(`sprite/${longId}/poster.jpg`).status).toBe(404);
    expect(get(`poster/999999`).status).toBe(404);
    expect(get(`video/${longId}`).status).toBe(200);
  });

  it('serves registered outputs: a file, and files inside an HLS folder, never outside it', async () => {
    const out = tempDir('church-lib-outputs-');
    const mp4 = join(out, 'web.mp4');
    writeFileSync(mp4, 'mp4 bytes');
    const hls = join(out, 'hls');
    mkdirSync(join(hls, '720p'), { recursive: true });
    writeFileSync(join(hls, 'index.m3u8'), '#EXTM3U\n');
    writeFileSync(join(hls, '720p', 'seg_000.ts'), 'ts bytes');
    writeFileSync(join(out, 'secret.txt'), 'not an output');
    const file = host.library.registerOutput({ videoId: longId, jobId: 7, preset: 'web-720p', kind: 'video', path: mp4, sizeBytes: 9 });
    const folder = host.library.registerOutput({ videoId: longId, jobId: 8, preset: 'hls', kind: 'hls', path: hls, sizeBytes: 16 });
    expect(host.library.listOutputs(longId).map((o) => [o.kind, o.exists])).toEqual([['video', true], ['hls', true]]);
    expect(host.library.getVideo(longId)!.outputs).toHaveLength(2);
    expect(await get(`asset/${file.id}`).text()).toBe('mp4 bytes');
    expect(await get(`asset/${folder.id}/index.m3u8`).text()).toBe('#EXTM3U\n');
    expect(get(`asset/${folder.id}/index.m3u8`).headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await get(`asset/${folder.id}/720p/seg_000.ts`).text()).toBe('ts bytes');
    expect(get(`asset/${folder.id}`).status).toBe(404);
    // Refused by the path parser (400) or by the library (404); never served.
    expect(get(`asset/${folder.id}/..%2Fsecret.txt`).status).toBeGreaterThanOrEqual(400);
    expect(get(`asset/${folder.id}/../secret.txt`).status).toBeGreaterThanOrEqual(400);
    expect(host.library.resolveMedia({ kind: 'asset', id: folder.id, file: '../secret.txt' })).toBeNull();
    host.library.removeOutput(file.id);
    expect(get(`asset/${file.id}`).status).toBe(404);
    expect(() => host.library.removeOutput(file.id)).toThrow(/no derived output/);
  });

  it('a single-file output serves only itself (a sprite also its VTT), never its neighbours in the chosen folder', async () => {
    // The out folder stands for a user's home folder: other files beside the output must stay private.
    const home = tempDir('church-lib-home-');
    const mp4 = join(home, 'clip.web.mp4');
    writeFileSync(mp4, 'web bytes');
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY');
    writeFileSync(join(home, 'notes.txt'), 'private notes');
    const file = host.library.registerOutput({ videoId: longId, jobId: 9, preset: 'web', kind: 'video', path: mp4, sizeBytes: 9 });
    expect(await get(`asset/${file.id}`).text()).toBe('web bytes');
    expect(await get(`asset/${file.id}/clip.web.mp4`).text()).toBe('web bytes');
    expect(get(`asset/${file.id}/notes.txt`).status).toBe(404);
    expect(get(`asset/${file.id}/.ssh/id_rsa`).status).toBeGreaterThanOrEqual(400);
    expect(get(`asset/${file.id}/ssh/id_rsa`).status).toBe(404);
    expect(host.library.resolveMedia({ kind: 'asset', id: file.id, file: '.ssh/id_rsa' })).toBeNull();
    expect(host.library.resolveMedia({ kind: 'asset', id: file.id, file: 'notes.txt' })).toBeNull();
    expect(host.library.resolveMedia({ kind: 'asset', id: file.id, file: 'clip.web.vtt' })).toBeNull();

    // A sprite is registered as its image; the VTT beside it (and nothing else there) comes with it.
    const spriteDir = join(home, 'clip.sprite');
    mkdirSync(spriteDir);
    writeFileSync(join(spriteDir, 'sprite.jpg'), 'jpg bytes');
    writeFileSync(join(spriteDir, 'sprite.vtt'), 'WEBVTT\n');
    writeFileSync(join(spriteDir, 'other.txt'), 'not part of it');
    const sprite = host.library.registerOutput({ videoId: longId, jobId: 10, preset: 'sprite', kind: 'sprite', path: join(spriteDir, 'sprite.jpg'), sizeBytes: 16 });
    expect(await get(`asset/${sprite.id}`).text()).toBe('jpg bytes');
    expect(await get(`asset/${sprite.id}/sprite.vtt`).text()).toBe('WEBVTT\n');
    expect(get(`asset/${sprite.id}/other.txt`).status).toBe(404);

    // A folder output still serves what is inside it, and a symlink inside it pointing out is refused.
    const hls = join(home, 'clip.hls');
    mkdirSync(join(hls, '720p'), { recursive: true });
    writeFileSync(join(hls, 'index.m3u8'), '#EXTM3U\n');
    writeFileSync(join(hls, '720p', 'seg_001.ts'), 'seg bytes');
    symlinkSync(join(home, 'notes.txt'), join(hls, 'leak.ts'));
    const folder = host.library.registerOutput({ videoId: longId, jobId: 11, preset: 'hls', kind: 'hls', path: hls, sizeBytes: 16 });
    expect(await get(`asset/${folder.id}/720p/seg_001.ts`).text()).toBe('seg bytes');
    expect(get(`asset/${folder.id}/leak.ts`).status).toBe(404);
    expect(get(`asset/${folder.id}/../notes.txt`).status).toBeGreaterThanOrEqual(400);
    expect(host.library.resolveMedia({ kind: 'asset', id: folder.id, file: '../notes.txt' })).toBeNull();
    for (const o of [file, sprite, folder]) host.library.removeOutput(o.id);
  });

  it('answers the same through the contract', async () => {
    const r = await host.dispatch('library.outputs', { videoId: longId }, { actor: 'ui' });
    expect(r.ok && (r.value as DerivedOutput[]).map((o) => o.preset)).toEqual(['hls']);
    const missing = await host.dispatch('library.get', { id: 424242 }, { actor: 'ui' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await host.dispatch('library.import', { paths: ['relative/path'] }, { actor: 'ui' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
