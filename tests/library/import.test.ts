import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from '../../shared/dto/library';
import { openDatabase } from '../../electron/platform/db';
import { LibraryStore } from '../../electron/domains/library';
import { resolveBinary } from '../../electron/platform/media';
import { tempDir } from '../helpers/tempDir';
import { clip, makeAudio, makeImage, truncateCopy, write } from '../helpers/libraryFiles';

const root = tempDir('church-lib-src-');
const data = tempDir('church-lib-data-');
const lib = join(root, 'library');
// A name built to break anything that passes paths through a shell: quotes, $(), backticks, spaces, scripts.
const HOSTILE = `it's "$(touch PWNED1)" \`touch PWNED2\` ; rm -rf x — 日本語 Ünïcödé.mp4`;
const progress: ImportProgress[] = [];
let store: LibraryStore;
let first: ImportSummary;

function search(extra: Partial<Parameters<LibraryStore['search']>[0]> = {}) {
  return store.search({ sort: 'title', order: 'asc', limit: 500, offset: 0, withTotal: true, ...extra });
}

beforeAll(async () => {
  const a = await clip(join(lib, 'alpha clip.mp4'), { seconds: 1 });
  await clip(join(lib, 'nested', 'deeper', 'beta.mkv'), { seconds: 1, width: 240, height: 320, audio: false });
  await clip(join(lib, 'nested', HOSTILE), { seconds: 1, width: 160, height: 120 });
  await makeAudio(join(lib, 'music', 'hymn.m4a'));
  mkdirSync(join(lib, 'copies'));
  copyFileSync(a, join(lib, 'copies', 'alpha copy.mp4'));
  write(join(lib, 'broken', 'zero.mp4'), Buffer.alloc(0));
  truncateCopy(a, join(lib, 'broken', 'cut short.mp4'));
  write(join(lib, 'broken', 'notes.mp4'), 'this is a text file that someone named .mp4\n');
  await makeImage(join(lib, 'broken', 'picture.mp4'));
  write(join(lib, 'readme.txt'), 'not media, not walked');
  symlinkSync('../..', join(lib, 'nested', 'deeper', 'loop')); // a cycle back to the top of the tree
  linkSync(a, join(lib, 'nested', 'hard link to alpha.mp4')); // the same inode under another name
  const db = openDatabase(join(data, 'studio.sqlite'));
  store = new LibraryStore(db, { assetsDir: join(data, 'assets'), concurrency: 2, onProgress: (p) => progress.push(p) });
  // The same file reached twice more: named directly and through the folder.
  first = await store.import([lib, join(lib, 'alpha clip.mp4'), join(lib, 'nested', 'deeper', 'loop', 'alpha clip.mp4')], { assets: false });
}, 60_000);

describe('import: a folder of good, broken and hostile files', () => {
  it('imports every good file exactly once', () => {
    const items = search().items;
    const names = items.map((i) => i.fileName).sort();
    expect(names).toEqual(['alpha clip.mp4', 'alpha copy.mp4', 'beta.mkv', HOSTILE, 'hymn.m4a'].sort());
    expect(first.imported).toBe(5);
    // hard link + the file named directly + through the symlink + the loop folder itself
    expect(first.skipped).toBeGreaterThanOrEqual(3);
    expect(first.cancelled).toBe(false);
  });

  it('lists every broken file with its reason, and goes on', () => {
    const byName = Object.fromEntries(first.failed.map((f) => [f.path.split('/').pop(), f]));
    expect(Object.keys(byName).sort()).toEqual(['cut short.mp4', 'notes.mp4', 'picture.mp4', 'zero.mp4']);
    expect(byName['zero.mp4']?.code).toBe('empty');
    expect(byName['zero.mp4']?.reason).toMatch(/empty \(0 bytes\)/);
    expect(byName['cut short.mp4']?.code).toBe('truncated');
    expect(byName['cut short.mp4']?.reason).toMatch(/ends before its index \(moov atom\); re-download or re-encode it/);
    expect(byName['notes.mp4']?.code).toBe('not-media');
    expect(byName['notes.mp4']?.reason).toMatch(/text file/);
    expect(byName['picture.mp4']?.code).toBe('image');
    expect(byName['picture.mp4']?.reason).toMatch(/still image/);
    expect(store.failures().map((f) => f.code).sort()).toEqual(['empty', 'image', 'not-media', 'truncated']);
    expect(store.stats().failures).toBe(4);
  });

  it('executes nothing from a file name', () => {
    for (const dir of [process.cwd(), root, lib, join(lib, 'nested')]) {
      expect(readdirSync(dir).filter((n) => n.startsWith('PWNED'))).toEqual([]);
    }
    const hostile = search({ query: '日本語' }).items;
    expect(hostile).toHaveLength(1);
    expect(hostile[0]?.title).toBe(HOSTILE.replace(/\.mp4$/, ''));
  });

  it('stores the probe: streams, display size after rotation, audio items', () => {
    const beta = search({ query: 'beta' }).items[0];
    expect(beta).toMatchObject({ kind: 'video', width: 240, height: 320, videoCodec: 'h264', audioCodec: null });
    const detail = store.getVideo(beta!.id)!;
    expect(detail.probe?.streams[0]).toMatchObject({ type: 'video', codec: 'h264', pixFmt: 'yuv420p', bitDepth: 8, fps: 25 });
    expect(detail.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const hymn = search({ kind: 'audio' }).items;
    expect(hymn.map((h) => h.fileName)).toEqual(['hymn.m4a']);
    expect(hymn[0]).toMatchObject({ width: null, height: null, audioCodec: 'aac' });
    expect(store.getVideo(hymn[0]!.id)!.probe?.streams[0]).toMatchObject({ type: 'audio', sampleRate: 44100, channels: 1 });
  });

  it('groups identical copies as duplicates', () => {
    const groups = store.duplicates();
    expect(groups).toHaveLength(1);
    expect(groups[0]!.items.map((i) => i.fileName).sort()).toEqual(['alpha clip.mp4', 'alpha copy.mp4']);
    expect(search({ duplicate: true }).total).toBe(2);
  });

  it('reports progress: seen, probed, failed, and a final event', () => {
    const last = progress[progress.length - 1]!;
    expect(last.phase).toBe('done');
    expect(last.seen).toBe(9);
    expect(last.probed).toBe(9);
    expect(last.failed).toBe(4);
    expect(last.etaSec).toBe(0);
    expect(progress.some((p) => p.phase === 'probing')).toBe(true);
  });
});

describe('rescan: moved, changed, missing', () => {
  let rescan: ImportSummary;
  let alphaId: number;
  let betaId: number;
  let hostileId: number;

  beforeAll(async () => {
    alphaId = search({ query: 'alpha clip' }).items.find((i) => i.fileName === 'alpha clip.mp4')!.id;
    betaId = search({ query: 'beta' }).items[0]!.id;
    hostileId = search({ query: '日本語' }).items[0]!.id;
    store.update(betaId, { tags: ['Trance', 'loop'], rating: 4, notes: 'keep me', tier: 'premium' });
    store.update(hostileId, { tags: ['gone soon'], rating: 2 });
    mkdirSync(join(lib, 'moved'));
    renameSync(join(lib, 'nested', 'deeper', 'beta.mkv'), join(lib, 'moved', 'beta renamed.mkv'));
    rmSync(join(lib, 'nested', HOSTILE));
    rmSync(join(lib, 'nested', 'hard link to alpha.mp4'));
    const rootId = store.roots()[0]!.id;
    rescan = await store.scan(rootId, { assets: false });
  }, 60_000);

  it('keeps the tags, rating and notes of a moved file on the same item', () => {
    expect(rescan.moved).toBe(1);
    const beta = store.getVideo(betaId)!;
    expect(beta.path).toBe(join(lib, 'moved', 'beta renamed.mkv'));
    expect(beta.fileName).toBe('beta renamed.mkv');
    expect(beta.tags).toEqual(['loop', 'trance']);
    expect(beta).toMatchObject({ rating: 4, notes: 'keep me', tier: 'premium', missing: false });
    expect(search({ query: 'renamed' }).items.map((i) => i.id)).toEqual([betaId]);
  });

  it('flags a deleted file missing and keeps what the owner wrote', () => {
    expect(rescan.missing).toBe(1);
    const gone = store.getVideo(hostileId)!;
    expect(gone).toMatchObject({ missing: true, rating: 2, tags: ['gone soon'] });
    expect(search({ missing: true }).items.map((i) => i.id)).toEqual([hostileId]);
    expect(store.resolveMedia({ kind: 'video', id: hostileId })).toBeNull();
  });

  it('does not probe unchanged files again, and keeps an unchanged hard-link target', () => {
    expect(rescan.imported).toBe(0);
    expect(rescan.updated).toBe(0);
    expect(store.getVideo(alphaId)!.missing).toBe(false);
    expect(rescan.failed).toHaveLength(4);
  });

  it('picks up a changed file as an update, and brings a missing one back', async () => {
    await clip(join(lib, 'alpha clip.mp4'), { seconds: 2 });
    await clip(join(lib, 'nested', HOSTILE), { seconds: 1, width: 160, height: 120 });
    const again = await store.scan(undefined, { assets: false });
    // alpha (new content) and the hostile file (back at its old path, new mtime) are both known paths.
    expect(again.updated).toBe(2);
    const alpha = store.getVideo(alphaId)!;
    expect(alpha.durationSec).toBeCloseTo(2, 1);
    // The edited alpha is no longer a copy of "alpha copy.mp4".
    expect(alpha.duplicateCount).toBe(0);
    expect(store.duplicates()).toHaveLength(0);
    // Back at the same path: the old item, with its tags.
    const back = store.getVideo(hostileId)!;
    expect(back).toMatchObject({ missing: false, tags: ['gone soon'] });
  }, 30_000);
});

describe('cancel', () => {
  it('stops mid-import and leaves whole items only; the next import finishes the job', async () => {
    const src = tempDir('church-lib-cancel-');
    const seed = await clip(join(src, 'seed.mp4'), { seconds: 1, audio: false });
    // Distinct tails give every copy its own fingerprint, so each one is really probed (duplicates are not).
    const bytes = readFileSync(seed);
    for (let i = 0; i < 40; i++) writeFileSync(join(src, `copy ${String(i).padStart(2, '0')}.mp4`), Buffer.concat([bytes, Buffer.from(`distinct tail ${i}`)]));
    const db = openDatabase(join(tempDir('church-lib-cancel-data-'), 'studio.sqlite'));
    // A real ffprobe behind a 150 ms pause: 41 files take seconds at any machine speed, so the cancel (at the
    // first progress tick that has seen 3 files probed, ~0.3-0.5 s in) always lands part-way.
    const slowProbe = join(tempDir('church-lib-slowprobe-'), 'ffprobe');
    writeFileSync(slowProbe, `#!/bin/sh\nsleep 0.15\nexec '${resolveBinary('ffprobe').path!}' "$@"\n`, { mode: 0o755 });
    let cancelled = false;
    const s = new LibraryStore(db, {
      concurrency: 2,
      // ffprobe for every file (no in-process header reading).
      headerProbe: false,
      env: { ...process.env, FFPROBE_PATH: slowProbe },
      onProgress: (p) => {
        if (!cancelled && p.probed >= 3) {
          cancelled = true;
          s.cancelImport(p.importId);
        }
      },
    });
    const summary = await s.import([src], { assets: false });
    expect(summary.cancelled).toBe(true);
    expect(summary.imported).toBeGreaterThan(0);
    expect(summary.imported).toBeLessThan(41);
    const rows = db.prepare('SELECT count(*) AS n, sum(NOT EXISTS (SELECT 1 FROM video_probes p WHERE p.video_id = v.id)) AS noProbe, sum(missing) AS missing FROM videos v').get() as { n: number; noProbe: number; missing: number };
    expect(rows.n).toBe(summary.imported);
    expect(rows.noProbe).toBe(0);
    expect(rows.missing).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM videos_fts').get() as { n: number }).n).toBe(rows.n);
    expect(s.importStatus()).toBeNull();
    const rest = await s.import([src], { assets: false });
    expect(rest.cancelled).toBe(false);
    expect(rest.imported + rows.n).toBe(41);
    expect((db.prepare('SELECT count(*) AS n FROM videos').get() as { n: number }).n).toBe(41);
  }, 60_000);

  it('refuses a second import while one runs', async () => {
    const src = tempDir('church-lib-busy-');
    await clip(join(src, 'one.mp4'), { audio: false });
    const s = new LibraryStore(openDatabase(join(tempDir('church-lib-busy-data-'), 'studio.sqlite')), { concurrency: 1 });
    const running = s.import([src], { assets: false });
    await expect(s.import([src], { assets: false })).rejects.toThrow(/already running/);
    await running;
    expect(existsSync(join(src, 'one.mp4'))).toBe(true);
  }, 30_000);
});
