import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { librarySearchSchema } from '../../shared/contract/library';
import { migrate, openDatabase } from '../../electron/platform/db';
import { LibraryStore } from '../../electron/domains/library';
import { libraryMigrations } from '../../electron/domains/library/schema';
import { tempDir } from '../helpers/tempDir';
import { syntheticProbe } from '../helpers/libraryFiles';


/** 30 items, all matching "glow": the title hits rank best, then file-name-only hits... */
function seed(store: LibraryStore, dir: string): number[] {
  const ids: number[] = [];
  for (let i = 0; i < 30; i++) {
    const title = i % 3 === 0 ? `glow session ${i}` : `session ${i}`;
    const id = store.saveProbed({ path: join(dir, `glow-${i}.mp4`), rootId: null, sizeBytes: 1000, mtimeMs: 1, fingerprint: `fp-rel-${i}`, probe: syntheticProbe() }, new Date(1_700_000_000_000 + i).toISOString(), null);
    store.update(id, { title });
    ids.push(id);
  }
  return ids;
}

function allPages(store: LibraryStore, order: 'asc' | 'desc'): number[] {
  const out: number[] = [];
  for (let offset = 0; offset < 40; offset += 7) out.push(...store.search(librarySearchSchema.parse({ query: 'glow', sort: 'relevance', order, limit: 7, offset })).items.map((i) => i.id));
  return out;
}

describe('relevance order', () => {
  it('offset pages never overlap or skip, ties broken by id, and asc is the exact reverse', () => {
    const dir = tempDir('church-lib-rel-');
    const store = new LibraryStore(openDatabase(join(dir, 'studio.sqlite')));
    const ids = seed(store, dir);
    const best = allPages(store, 'desc');
    expect([...best].sort((a, b) => a - b)).toEqual(ids);
    const titleHits = ids.filter((_, i) => i % 3 === 0);
    expect(best.slice(0, titleHits.length)).toEqual(titleHits); // title weighs most; equal scores by id
    expect(allPages(store, 'asc')).toEqual([...best].reverse());
  });

  it('above the cap, scores only the newest matches, then lists the older ones newest first; total exact', () => {
    const dir = tempDir('church-lib-cap-');
    const store = new LibraryStore(openDatabase(join(dir, 'studio.sqlite')), { relevanceCap: 12 });
    const ids = seed(store, dir);
    const page = store.search(librarySearchSchema.parse({ query: 'glow', sort: 'relevance', order: 'desc', limit: 100 }));
    expect(page.total).toBe(30);
    const newest = ids.slice(-12);
    const scored = [...newest.filter((id) => ids.indexOf(id) % 3 === 0), ...newest.filter((id) => ids.indexOf(id) % 3 !== 0)];
    const older = ids.slice(0, 18).reverse();
    expect(page.items.map((i) => i.id)).toEqual([...scored, ...older]);
    const paged = allPages(store, 'desc');
    expect(paged).toEqual([...scored, ...older]);
    expect(allPages(store, 'asc')).toEqual([...scored, ...older].reverse());
  });
});

describe('migration 3: one-letter prefix index', () => {
  it('rebuilds the full-text table of an existing library, keeping what it finds', () => {
    const dir = tempDir('church-lib-mig3-');
    const db = openDatabase(join(dir, 'studio.sqlite'));
    migrate(db, 'library', libraryMigrations.slice(0, 2));
    db.prepare("INSERT INTO videos (id, path, title, added_at, file_name, size_bytes, mtime_ms, fingerprint, modified_at, last_seen_at) VALUES (1, '/v/a.mp4', 'Amber Dawn', '2026-01-01', 'a.mp4', 1, 1, 'fp', '2026-01-01', '2026-01-01')").run();
    db.prepare("INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes) VALUES (1, 'Amber Dawn', 'a.mp4', 'trance', 'Evening', 'lighthouse')").run();
    const store = new LibraryStore(db);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'videos_fts'").get() as { sql: string }).sql;
    expect(sql).toContain("prefix = '1 2 3'");
    for (const q of ['a', 'amb', 'dawn', 'trance', 'evening', 'lighthouse']) expect(store.search({ query: q, sort: 'relevance' }).items.map((i) => i.id), q).toEqual([1]);
    expect(store.search({ query: 'z' }).total).toBe(0);
  });
});
