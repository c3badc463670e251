import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LibrarySort, VideoSummary } from '../../shared/dto/library';
import type { ProbeResult } from '../../shared/dto/probe';
import { librarySearchSchema } from '../../shared/contract/library';
import { openDatabase } from '../../electron/platform/db';
import { LibraryStore, ftsQuery } from '../../electron/domains/library';
import { tempDir } from '../helpers/tempDir';

// Search is pure SQL over stored probe results, so these rows are written through the store's own import write
// path (saveProbed) with probe results shaped like ffprobe's, without running ffprobe 40 times.
const CODECS = ['h264', 'hevc', 'vp9', 'av1'];
const HEIGHTS = [240, 480, 720, 1080, 2160];

function probe(i: number): ProbeResult {
  const height = HEIGHTS[i % HEIGHTS.length]!;
  const width = Math.round((height * 16) / 9 / 2) * 2;
  return {
    container: 'mov,mp4,m4a,3gp,3g2,mj2',
    durationSec: 10 + ((i * 37) % 400),
    bitRate: 1_000_000 + i * 1000,
    sizeBytes: 1000 + i * 7919,
    streams: [{ index: 0, type: 'video', codec: CODECS[i % CODECS.length]!, profile: null, pixFmt: 'yuv420p', bitDepth: 8, width, height, rotation: 0, fps: 25, sampleRate: null, channels: null, language: null, attachedPic: false, bitRate: null }],
    display: { width, height },
    kind: 'video',
  };
}

const dir = tempDir('church-lib-search-');
let store: LibraryStore;
const ids: number[] = [];

function page(extra: Record<string, unknown> = {}) {
  return store.search(librarySearchSchema.parse({ limit: 500, ...extra }));
}

beforeAll(() => {
  store = new LibraryStore(openDatabase(join(dir, 'studio.sqlite')));
  const names = ['Sunrise Trance', 'Deep Hypnosis', 'Café Ambient', 'Night Loop', 'Morning Mantra', 'Évasion Douce', 'Spiral Focus', 'Ocean Drift'];
  for (let i = 0; i < 40; i++) {
    const name = `${names[i % names.length]} ${String(i).padStart(2, '0')}.mp4`;
    const p = probe(i);
    ids.push(store.saveProbed({ path: join(dir, name), rootId: null, sizeBytes: p.sizeBytes, mtimeMs: 1_700_000_000_000 + i * 1000, fingerprint: `fp${String(i).padStart(14, '0')}`, probe: p }, new Date(1_700_000_000_000 + i * 60_000).toISOString(), null));
  }
  store.bulkUpdate({ ids: ids.slice(0, 10), addTags: ['Trance', 'favourites'] });
  store.bulkUpdate({ ids: ids.slice(5, 15), addTags: ['loop'] });
  store.bulkUpdate({ ids: ids.filter((_, i) => i % 3 === 0), tier: 'premium' });
  store.bulkUpdate({ ids: ids.filter((_, i) => i % 3 === 1), tier: 'subscriber' });
  ids.forEach((id, i) => store.update(id, { rating: i % 6 }));
  store.update(ids[7]!, { notes: 'recorded at the lighthouse retreat' });
});

describe('full-text search', () => {
  it('finds by title, file name, tag, collection and notes, by prefix, ignoring case and accents', () => {
    expect(page({ query: 'sunrise' }).total).toBe(5);
    expect(page({ query: 'SUNR' }).total).toBe(5);
    expect(page({ query: 'cafe' }).items.map((i) => i.title)).toContain('Café Ambient 02');
    expect(page({ query: 'evasion' }).total).toBe(5);
    expect(page({ query: 'favourites' }).total).toBe(10);
    expect(page({ query: 'lighthouse' }).items.map((i) => i.id)).toEqual([ids[7]]);
    const c = store.createCollection('Evening Ritual');
    store.setCollectionItems(c.id, [ids[20]!, ids[3]!]);
    expect(page({ query: 'ritual' }).items.map((i) => i.id).sort((a, b) => a - b)).toEqual([ids[3], ids[20]].sort((a, b) => a! - b!));
    store.updateCollection(c.id, { name: 'Dawn Set' });
    expect(page({ query: 'ritual' }).total).toBe(0);
    expect(page({ query: 'dawn' }).total).toBe(2);
    store.deleteCollection(c.id);
    expect(page({ query: 'dawn' }).total).toBe(0);
  });

  it('requires every word, and treats FTS syntax in a query as plain text', () => {
    expect(page({ query: 'deep hypno' }).total).toBe(5);
    expect(page({ query: 'deep sunrise' }).total).toBe(0);
    expect(ftsQuery('a "b" OR c*')).toBe('"a"* AND "b"* AND "OR"* AND "c*"*');
    expect(() => page({ query: '"unbalanced ( NEAR AND' })).not.toThrow();
    expect(() => page({ query: '*' })).not.toThrow();
  });

  it('sorts by relevance with a query (title matches first)', () => {
    store.update(ids[39]!, { notes: 'spiral' });
    const r = page({ query: 'spiral', sort: 'relevance', order: 'desc' });
    expect(r.items.at(-1)?.id).toBe(ids[39]);
  });
});

describe('filters', () => {
  it('filters on tier, rating, tags, duration, resolution, codec, duplicates and missing', () => {
    const all = page().items;
    const check = (f: Record<string, unknown>, pred: (v: VideoSummary) => boolean) => {
      const got = page(f).items.map((i) => i.id).sort((a, b) => a - b);
      const want = all.filter(pred).map((i) => i.id).sort((a, b) => a - b);
      expect(got).toEqual(want);
      expect(got.length).toBeGreaterThan(0);
    };
    check({ tiers: ['premium'] }, (v) => v.tier === 'premium');
    check({ tiers: ['free', 'subscriber'] }, (v) => v.tier !== 'premium');
    check({ minRating: 4 }, (v) => v.rating >= 4);
    check({ tags: ['trance', 'loop'] }, (v) => v.tags.includes('trance') && v.tags.includes('loop'));
    check({ tags: ['LOOP'] }, (v) => v.tags.includes('loop'));
    check({ minDurationSec: 100, maxDurationSec: 200 }, (v) => v.durationSec! >= 100 && v.durationSec! <= 200);
    check({ minHeight: 720 }, (v) => v.height! >= 720);
    check({ codecs: ['hevc', 'av1'] }, (v) => v.videoCodec === 'hevc' || v.videoCodec === 'av1');
    check({ query: 'trance', tiers: ['premium'], minRating: 1 }, (v) => v.tags.includes('trance') || v.title.includes('Trance') ? v.tier === 'premium' && v.rating >= 1 : false);
    check({ duplicate: false }, () => true);
    expect(page({ duplicate: true }).total).toBe(0);
    expect(page({ missing: true }).total).toBe(0);
  });
});

describe('sort and paging', () => {
  const keyOf: Record<Exclude<LibrarySort, 'relevance'>, (v: VideoSummary) => string | number> = {
    title: (v) => v.title.toLowerCase(),
    fileName: (v) => v.fileName.toLowerCase(),
    addedAt: (v) => v.addedAt,
    modifiedAt: (v) => v.modifiedAt,
    duration: (v) => v.durationSec ?? -1,
    resolution: (v) => v.height ?? -1,
    size: (v) => v.sizeBytes,
    bitrate: (v) => v.bitRate ?? -1,
    codec: (v) => v.videoCodec ?? '',
    tier: (v) => ['free', 'subscriber', 'premium'].indexOf(v.tier),
    rating: (v) => v.rating,
  };

  it('sorts on every key, both ways, ties broken by id', () => {
    const all = page().items;
    for (const [sort, key] of Object.entries(keyOf)) {
      for (const order of ['asc', 'desc'] as const) {
        const want = [...all]
          .sort((a, b) => {
            const ka = key(a);
            const kb = key(b);
            const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
            return order === 'asc' ? c : -c;
          })
          .map((v) => v.id);
        expect(page({ sort, order }).items.map((v) => v.id), `${sort} ${order}`).toEqual(want);
      }
    }
  });

  it('keyset paging walks every row once, in order, on every sort', () => {
    for (const sort of ['title', 'duration', 'rating', 'tier'] as const) {
      const full = page({ sort, order: 'asc' }).items.map((v) => v.id);
      const walked: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 20; guard++) {
        const p = page({ sort, order: 'asc', limit: 7, cursor, withTotal: false });
        walked.push(...p.items.map((v) => v.id));
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
      expect(walked, sort).toEqual(full);
    }
  });

  it('offset paging matches, and a cursor of another sort is refused clearly', () => {
    const full = page({ sort: 'size', order: 'desc' }).items.map((v) => v.id);
    expect(page({ sort: 'size', order: 'desc', limit: 10, offset: 30 }).items.map((v) => v.id)).toEqual(full.slice(30, 40));
    const c = page({ sort: 'size', limit: 5 }).nextCursor!;
    expect(() => page({ sort: 'title', cursor: c })).toThrow(/cursor does not belong to this sort/);
  });
});

describe('curation', () => {
  it('bulk edits are all-or-nothing', () => {
    const before = store.getVideo(ids[0]!)!.tags;
    expect(() => store.bulkUpdate({ ids: [ids[0]!, 999_999], addTags: ['never'] })).toThrow(/no library item with id 999999/);
    expect(store.getVideo(ids[0]!)!.tags).toEqual(before);
    expect(store.tags().map((t) => t.name)).not.toContain('never');
    store.bulkUpdate({ ids: ids.slice(0, 3), removeTags: ['favourites'], rating: 5, favourite: true });
    for (const id of ids.slice(0, 3)) expect(store.getVideo(id)).toMatchObject({ rating: 5, favourite: true, tags: ['trance'] });
    expect(store.tags().find((t) => t.name === 'favourites')?.count).toBe(7);
  });

  it('collections keep their order and their items keep theirs', () => {
    const a = store.createCollection('A');
    const b = store.createCollection('B');
    const c = store.createCollection('C');
    expect(store.reorderCollections([c.id, a.id]).map((x) => x.name)).toEqual(['C', 'A', 'B']);
    store.setCollectionItems(b.id, [ids[5]!, ids[1]!, ids[9]!]);
    expect(store.collectionItems(b.id).map((v) => v.id)).toEqual([ids[5], ids[1], ids[9]]);
    store.bulkUpdate({ ids: [ids[2]!], addToCollectionId: b.id });
    expect(store.collectionItems(b.id).map((v) => v.id)).toEqual([ids[5], ids[1], ids[9], ids[2]]);
    expect(page({ collectionId: b.id }).total).toBe(4);
    expect(store.getVideo(ids[5]!)!.collections.map((x) => x.name)).toEqual(['B']);
  });

  it('a title defaults to the file name without its extension and can be edited', () => {
    const v = store.getVideo(ids[0]!)!;
    expect(v.title).toBe('Sunrise Trance 00');
    expect(store.update(v.id, { title: '  Renamed  ' }).title).toBe('Renamed');
    expect(page({ query: 'renamed' }).items.map((i) => i.id)).toEqual([v.id]);
  });
});
