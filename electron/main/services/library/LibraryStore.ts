import { existsSync } from 'node:fs';
import { basename, extname, join, resolve, isAbsolute } from 'node:path';
import type {
  BulkEdit,
  CurationPatch,
  DerivedOutput,
  DuplicateGroup,
  ImportFailure,
  ImportFailureCode,
  ImportProgress,
  ImportSummary,
  ItemKind,
  LibraryCollection,
  LibraryRoot,
  LibraryStats,
  LibraryTag,
  RegisterOutputInput,
  VideoDetail,
  VideoPage,
  VideoSummary,
} from '../../../../shared/dto/library';
import type { MediaRef } from '../../../../shared/dto/media';
import type { ProbeResult } from '../../../../shared/dto/probe';
import { ChurchError } from '../../../../shared/errors';
import type { Statement } from 'better-sqlite3';
import { migrate, type Db } from '../db';
import { assetDir, assetState, POSTER_FILE, SPRITE_FILE, SPRITE_VTT } from './assets';
import { Importer, type ImportOptions } from './importer';
import { resolveOutputFile } from './outputFiles';
import { libraryMigrations } from './schema';
import { buildSearch, encodeCursor, normaliseTag, type SearchSpec } from './searchQuery';
import { SUMMARY_COLUMNS, toOutput, toSummary, type OutputRow, type SummaryRow, type VideoRow } from './rows';

export interface LibraryOptions {
  /** Where posters and sprites go (`<dataDir>/library-assets`); without it no assets are generated. */
  assetsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Parallel probes and asset jobs; default: the core count. */
  concurrency?: number;
  /**
   * Read MP4/MOV stream facts from the container header in-process (default true); false = ffprobe for every
   * file. Files the header reader is not sure about always go to ffprobe.
   */
  headerProbe?: boolean;
  /** Per-file ffprobe timeout. */
  probeTimeoutMs?: number;
  /** Text matches above which relevance scores only the newest this many (default RELEVANCE_CAP); tests lower it. */
  relevanceCap?: number;
  onProgress?: (p: ImportProgress) => void;
  onChanged?: (ids: number[] | null, reason: 'import' | 'curation' | 'assets' | 'remove' | 'collections' | 'outputs') => void;
}

/** What the importer writes for a probed file. */
export interface MediaFacts {
  path: string;
  rootId: number | null;
  sizeBytes: number;
  mtimeMs: number;
  fingerprint: string;
  probe: ProbeResult;
}

const now = (): string => new Date().toISOString();

/** "My Clip.final.mp4" → "My Clip.final". */
export function defaultTitle(path: string): string {
  const name = basename(path);
  const ext = extname(name);
  return (ext && ext.length < name.length ? name.slice(0, -ext.length) : name) || name;
}

function probeColumns(p: ProbeResult): { kind: ItemKind; duration: number | null; width: number | null; height: number | null; vcodec: string | null; acodec: string | null; bitRate: number | null; container: string } {
  const video = p.streams.find((s) => s.type === 'video' && !s.attachedPic);
  const audio = p.streams.find((s) => s.type === 'audio');
  return {
    kind: p.kind,
    duration: p.durationSec,
    width: p.display?.width ?? null,
    height: p.display?.height ?? null,
    vcodec: p.kind === 'video' ? (video?.codec ?? null) : null,
    acodec: audio?.codec ?? null,
    bitRate: p.bitRate,
    container: p.container,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The video library: items with their probe, curation, tags, collections, derived outputs and generated
 * assets, in SQLite; import and rescan run through the Importer. Plain Node: the CLI, serve and MCP use it too.
 */
export class LibraryStore {
  readonly assetsDir: string | null;
  readonly options: LibraryOptions;
  private readonly importer: Importer;

  private readonly statements = new Map<string, Statement>();

  /** Prepared statements are reused: preparing costs more than running most of these queries. */
  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size > 1000) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  constructor(
    readonly db: Db,
    opts: LibraryOptions = {},
  ) {
    migrate(db, 'library', libraryMigrations);
    this.options = opts;
    this.assetsDir = opts.assetsDir ?? null;
    this.importer = new Importer(this);
  }

  // ---------------------------------------------------------------- reads

  pathOf(id: number): string | null {
    const row = this.stmt('SELECT path FROM videos WHERE id = ?').get(id) as { path: string } | undefined;
    return row?.path ?? null;
  }

  private row(id: number): VideoRow | null {
    return (this.stmt(`SELECT ${SUMMARY_COLUMNS}, v.path, v.root_id, v.mtime_ms, v.fingerprint, v.container, p.probe_json, v.notes, v.last_seen_at FROM videos v LEFT JOIN video_probes p ON p.video_id = v.id WHERE v.id = ?`).get(id) as VideoRow | undefined) ?? null;
  }

  getVideo(id: number): VideoDetail | null {
    const r = this.row(id);
    if (!r) return null;
    const collections = this.db
      .prepare('SELECT c.id, c.name FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE ci.video_id = ? ORDER BY c.position, c.id')
      .all(id) as { id: number; name: string }[];
    const duplicateIds = r.fingerprint
      ? (this.stmt('SELECT id FROM videos WHERE fingerprint = ? AND id != ? ORDER BY id').all(r.fingerprint, id) as { id: number }[]).map((d) => d.id)
      : [];
    return {
      ...toSummary(r),
      path: r.path,
      rootId: r.root_id,
      fingerprint: r.fingerprint,
      probe: r.probe_json ? (JSON.parse(r.probe_json) as ProbeResult) : null,
      container: r.container,
      notes: r.notes,
      collections,
      duplicateIds,
      outputs: this.listOutputs(id),
      lastSeenAt: r.last_seen_at,
    };
  }

  requireVideo(id: number): VideoDetail {
    const v = this.getVideo(id);
    if (!v) throw new ChurchError('NOT_FOUND', `no library item with id ${id}; list the library to see the ids`);
    return v;
  }

  summaries(ids: readonly number[]): VideoSummary[] {
    const byId = new Map<number, VideoSummary>();
    for (const part of chunks(ids, 500)) {
      const rows = this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM videos v WHERE v.id IN (${part.map(() => '?').join(',')})`).all(...part) as SummaryRow[];
      for (const r of rows) byId.set(r.id, toSummary(r));
    }
    return ids.map((i) => byId.get(i)).filter((s): s is VideoSummary => s !== undefined);
  }

  /** A page of items; unset paging/sort fields take the contract's defaults (newest first, 100 rows, with total). */
  search(input: Partial<SearchSpec> = {}): VideoPage {
    const spec: SearchSpec = { sort: 'addedAt', order: 'desc', limit: 100, offset: 0, withTotal: true, ...input };
    const commonTags = spec.tags?.length ? this.tagsAreCommon(spec.tags) : false;
    // Count first (a covering-index scan, cached until the next write): it also tells whether the filter is
    // broad enough that walking the sort index beats sorting every match.
    const probe = buildSearch(spec, SUMMARY_COLUMNS, { commonTags });
    const total = this.cachedCount(probe.countSql, probe.countParams);
    const all = this.cachedCount('SELECT count(*) AS n FROM videos', []);
    const broad = total * (spec.query ? 100 : 20) >= all;
    const built = broad || (spec.sort === 'relevance' && probe.sortKey === 'relevance') ? buildSearch(spec, SUMMARY_COLUMNS, { commonTags, broad, matchCount: total, relevanceCap: this.options.relevanceCap }) : probe;
    const rows = this.stmt(built.pageSql).all(...built.pageParams) as (SummaryRow & { sort_value: string | number })[];
    const more = rows.length > spec.limit;
    const page = more ? rows.slice(0, spec.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map(toSummary),
      total: spec.withTotal ? total : -1,
      offset: spec.cursor ? -1 : spec.offset,
      nextCursor: more && last && built.keyset ? encodeCursor(built.sortKey, spec.order, last.sort_value, last.id) : null,
    };
  }

  /**
   * The library's write version: this connection's change count plus SQLite's data_version (which moves when
   * another connection or process commits). Anything cached against it is stale as soon as anyone writes.
   */
  private version(): string {
    const r = this.stmt('SELECT total_changes() AS c').get() as { c: number };
    return `${this.db.pragma('data_version', { simple: true }) as number}:${r.c}`;
  }

  private readonly counts = new Map<string, { version: string; n: number }>();

  /**
   * Counting every match is the one part of a page that scans; scrolling, re-sorting and paging repeat the same
   * filters, so the count is kept until the next write.
   */
  private cachedCount(sql: string, params: readonly (string | number)[]): number {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const version = this.version();
    const hit = this.counts.get(key);
    if (hit && hit.version === version) return hit.n;
    const n = (this.stmt(sql).get(...params) as { n: number }).n;
    if (this.counts.size > 200) this.counts.clear();
    this.counts.set(key, { version, n });
    return n;
  }

  /** Tags on many items are filtered by walking the sort order; rare ones by starting from their items. */
  private tagsAreCommon(tags: readonly string[]): boolean {
    const names = [...new Set(tags.map(normaliseTag))];
    const sizes = names.map((n) => this.cachedCount('SELECT count(*) AS n FROM video_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?)', [n]));
    const total = this.cachedCount('SELECT count(*) AS n FROM videos', []);
    return Math.min(...sizes) * 20 > total;
  }

  stats(): LibraryStats {
    const r = this.db
      .prepare(
        `SELECT sum(kind = 'video') AS videos, sum(kind = 'audio') AS audio, sum(missing) AS missing, coalesce(sum(size_bytes), 0) AS bytes, coalesce(sum(duration_sec), 0) AS dur,
          (SELECT count(*) FROM (SELECT fingerprint FROM videos WHERE dup_count > 0 GROUP BY fingerprint)) AS groups,
          (SELECT count(*) FROM import_failures) AS failures FROM videos`,
      )
      .get() as { videos: number | null; audio: number | null; missing: number | null; bytes: number; dur: number; groups: number; failures: number };
    return { videos: r.videos ?? 0, audio: r.audio ?? 0, missing: r.missing ?? 0, duplicateGroups: r.groups, failures: r.failures, totalBytes: r.bytes, totalDurationSec: Math.round(r.dur * 1000) / 1000 };
  }

  tags(): LibraryTag[] {
    return this.stmt('SELECT t.name, count(vt.video_id) AS count FROM tags t JOIN video_tags vt ON vt.tag_id = t.id GROUP BY t.id ORDER BY count DESC, t.name').all() as LibraryTag[];
  }

  duplicates(): DuplicateGroup[] {
    const groups = this.db
      .prepare("SELECT fingerprint, max(size_bytes) AS size, group_concat(id) AS ids FROM videos WHERE dup_count > 0 AND fingerprint != '' GROUP BY fingerprint ORDER BY size DESC")
      .all() as { fingerprint: string; size: number; ids: string }[];
    return groups.map((g) => ({ fingerprint: g.fingerprint, sizeBytes: g.size, items: this.summaries(g.ids.split(',').map(Number).sort((a, b) => a - b)) }));
  }

  failures(rootId?: number): ImportFailure[] {
    const rows = (rootId === undefined
      ? this.stmt('SELECT path, code, reason, at FROM import_failures ORDER BY path').all()
      : this.stmt('SELECT path, code, reason, at FROM import_failures WHERE root_id = ? ORDER BY path').all(rootId)) as { path: string; code: ImportFailureCode; reason: string; at: string }[];
    return rows;
  }

  roots(): LibraryRoot[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.path, r.added_at, r.last_scan_at, count(v.id) AS videos, coalesce(sum(v.missing), 0) AS missing
         FROM library_roots r LEFT JOIN videos v ON v.root_id = r.id GROUP BY r.id ORDER BY r.path`,
      )
      .all() as { id: number; path: string; added_at: string; last_scan_at: string | null; videos: number; missing: number }[];
    return rows.map((r) => ({ id: r.id, path: r.path, addedAt: r.added_at, lastScanAt: r.last_scan_at, videoCount: r.videos, missingCount: r.missing }));
  }

  removeRoot(id: number): void {
    this.db.transaction(() => {
      const r = this.stmt('DELETE FROM library_roots WHERE id = ?').run(id);
      if (r.changes === 0) throw new ChurchError('NOT_FOUND', `no library root with id ${id}`);
      this.stmt('UPDATE videos SET root_id = NULL WHERE root_id = ?').run(id);
      this.stmt('UPDATE import_failures SET root_id = NULL WHERE root_id = ?').run(id);
    })();
  }

  // ---------------------------------------------------------------- curation

  private tagId(name: string): number {
    const n = normaliseTag(name);
    this.stmt('INSERT INTO tags (name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(n);
    return (this.stmt('SELECT id FROM tags WHERE name = ?').get(n) as { id: number }).id;
  }

  /** Rewrites the denormalised tag list of items and their search text. */
  private syncTags(ids: readonly number[]): void {
    const read = this.stmt('SELECT t.name FROM video_tags vt JOIN tags t ON t.id = vt.tag_id WHERE vt.video_id = ? ORDER BY t.name');
    const write = this.stmt('UPDATE videos SET tags_json = ? WHERE id = ?');
    for (const id of ids) write.run(JSON.stringify((read.all(id) as { name: string }[]).map((t) => t.name)), id);
    this.refreshFts(ids);
  }

  /** Recomputes the full-text row of items (title, file name, tags, collections, notes). */
  refreshFts(ids: readonly number[]): void {
    const del = this.stmt('DELETE FROM videos_fts WHERE rowid = ?');
    const ins = this.stmt(
      `INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes)
       SELECT v.id, v.title, v.file_name,
         (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(v.tags_json)),
         (SELECT coalesce(group_concat(c.name, ' '), '') FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE ci.video_id = v.id),
         v.notes
       FROM videos v WHERE v.id = ?`,
    );
    for (const id of ids) {
      del.run(id);
      ins.run(id);
    }
  }

  private assertIds(ids: readonly number[]): void {
    for (const part of chunks([...new Set(ids)], 500)) {
      const found = (this.stmt(`SELECT count(*) AS n FROM videos WHERE id IN (${part.map(() => '?').join(',')})`).get(...part) as { n: number }).n;
      if (found !== part.length) {
        const known = new Set((this.stmt(`SELECT id FROM videos WHERE id IN (${part.map(() => '?').join(',')})`).all(...part) as { id: number }[]).map((r) => r.id));
        const unknown = part.filter((i) => !known.has(i));
        throw new ChurchError('NOT_FOUND', `no library item with id ${unknown.slice(0, 5).join(', ')}; nothing was changed`);
      }
    }
  }

  update(id: number, patch: CurationPatch): VideoDetail {
    this.db.transaction(() => {
      this.assertIds([id]);
      const sets: string[] = [];
      const vals: (string | number)[] = [];
      const set = (column: string, value: string | number) => {
        sets.push(column);
        vals.push(value);
      };
      if (patch.title !== undefined) set('title = ?', patch.title.trim());
      if (patch.notes !== undefined) set('notes = ?', patch.notes);
      if (patch.rating !== undefined) set('rating = ?', patch.rating);
      if (patch.favourite !== undefined) set('favourite = ?', patch.favourite ? 1 : 0);
      if (patch.tier !== undefined) set('tier = ?', patch.tier);
      if (sets.length) this.stmt(`UPDATE videos SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
      if (patch.tags !== undefined) {
        this.stmt('DELETE FROM video_tags WHERE video_id = ?').run(id);
        const add = this.stmt('INSERT OR IGNORE INTO video_tags (video_id, tag_id) VALUES (?, ?)');
        for (const t of patch.tags) add.run(id, this.tagId(t));
        this.pruneTags();
        this.syncTags([id]);
      } else {
        this.refreshFts([id]);
      }
    })();
    this.options.onChanged?.([id], 'curation');
    return this.requireVideo(id);
  }

  /** Tag/untag/rate/tier/favourite/collect many items in one transaction: all or nothing. */
  bulkUpdate(edit: BulkEdit): { updated: number } {
    const ids = [...new Set(edit.ids)];
    this.db.transaction(() => {
      this.assertIds(ids);
      const sets: string[] = [];
      const vals: (string | number)[] = [];
      const set = (column: string, value: string | number) => {
        sets.push(column);
        vals.push(value);
      };
      if (edit.rating !== undefined) set('rating = ?', edit.rating);
      if (edit.favourite !== undefined) set('favourite = ?', edit.favourite ? 1 : 0);
      if (edit.tier !== undefined) set('tier = ?', edit.tier);
      if (sets.length) {
        const update = this.stmt(`UPDATE videos SET ${sets.join(', ')} WHERE id = ?`);
        for (const id of ids) update.run(...vals, id);
      }
      let tagsChanged = false;
      if (edit.addTags?.length) {
        const add = this.stmt('INSERT OR IGNORE INTO video_tags (video_id, tag_id) VALUES (?, ?)');
        for (const t of edit.addTags) {
          const tid = this.tagId(t);
          for (const id of ids) add.run(id, tid);
        }
        tagsChanged = true;
      }
      if (edit.removeTags?.length) {
        const del = this.stmt('DELETE FROM video_tags WHERE video_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)');
        for (const t of edit.removeTags) for (const id of ids) del.run(id, normaliseTag(t));
        this.pruneTags();
        tagsChanged = true;
      }
      let collectionsChanged = false;
      if (edit.addToCollectionId !== undefined) {
        this.requireCollection(edit.addToCollectionId);
        const next = this.stmt('SELECT coalesce(max(position), -1) + 1 AS p FROM collection_items WHERE collection_id = ?');
        const add = this.stmt('INSERT OR IGNORE INTO collection_items (collection_id, video_id, position) VALUES (?, ?, ?)');
        for (const id of ids) add.run(edit.addToCollectionId, id, (next.get(edit.addToCollectionId) as { p: number }).p);
        collectionsChanged = true;
      }
      if (edit.removeFromCollectionId !== undefined) {
        this.requireCollection(edit.removeFromCollectionId);
        const del = this.stmt('DELETE FROM collection_items WHERE collection_id = ? AND video_id = ?');
        for (const id of ids) del.run(edit.removeFromCollectionId, id);
        collectionsChanged = true;
      }
      if (tagsChanged) this.syncTags(ids);
      else if (collectionsChanged) this.refreshFts(ids);
    })();
    this.options.onChanged?.(ids, 'curation');
    return { updated: ids.length };
  }

  private pruneTags(): void {
    this.stmt('DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM video_tags)').run();
  }

  /** Forgets items (not their files). Generated assets stay: they are keyed by content and reused on re-import. */
  remove(ids: readonly number[]): { removed: number } {
    const unique = [...new Set(ids)];
    const fps = new Set<string>();
    this.db.transaction(() => {
      this.assertIds(unique);
      const fp = this.stmt('SELECT fingerprint FROM videos WHERE id = ?');
      const del = this.stmt('DELETE FROM videos WHERE id = ?');
      const delFts = this.stmt('DELETE FROM videos_fts WHERE rowid = ?');
      for (const id of unique) {
        fps.add((fp.get(id) as { fingerprint: string }).fingerprint);
        del.run(id);
        delFts.run(id);
      }
      this.pruneTags();
      this.recomputeDuplicates([...fps]);
    })();
    this.options.onChanged?.(unique, 'remove');
    return { removed: unique.length };
  }

  // ---------------------------------------------------------------- collections

  private requireCollection(id: number): void {
    if (!this.stmt('SELECT 1 FROM collections WHERE id = ?').get(id)) throw new ChurchError('NOT_FOUND', `no collection with id ${id}`);
  }

  collections(): LibraryCollection[] {
    const rows = this.db
      .prepare('SELECT c.id, c.name, c.description, c.position, c.created_at, (SELECT count(*) FROM collection_items ci WHERE ci.collection_id = c.id) AS n FROM collections c ORDER BY c.position, c.id')
      .all() as { id: number; name: string; description: string; position: number; created_at: string; n: number }[];
    return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, position: r.position, itemCount: r.n, createdAt: r.created_at }));
  }

  private collection(id: number): LibraryCollection {
    const c = this.collections().find((x) => x.id === id);
    if (!c) throw new ChurchError('NOT_FOUND', `no collection with id ${id}`);
    return c;
  }

  createCollection(name: string, description = ''): LibraryCollection {
    const id = this.db.transaction(() => {
      const pos = (this.stmt('SELECT coalesce(max(position), -1) + 1 AS p FROM collections').get() as { p: number }).p;
      return Number(this.stmt('INSERT INTO collections (name, description, position, created_at) VALUES (?, ?, ?, ?)').run(name.trim(), description, pos, now()).lastInsertRowid);
    })();
    this.options.onChanged?.(null, 'collections');
    return this.collection(id);
  }

  updateCollection(id: number, patch: { name?: string; description?: string }): LibraryCollection {
    this.db.transaction(() => {
      this.requireCollection(id);
      if (patch.name !== undefined) this.stmt('UPDATE collections SET name = ? WHERE id = ?').run(patch.name.trim(), id);
      if (patch.description !== undefined) this.stmt('UPDATE collections SET description = ? WHERE id = ?').run(patch.description, id);
      if (patch.name !== undefined) this.refreshFts(this.collectionVideoIds(id));
    })();
    this.options.onChanged?.(null, 'collections');
    return this.collection(id);
  }

  deleteCollection(id: number): void {
    this.db.transaction(() => {
      this.requireCollection(id);
      const members = this.collectionVideoIds(id);
      this.stmt('DELETE FROM collections WHERE id = ?').run(id);
      this.refreshFts(members);
    })();
    this.options.onChanged?.(null, 'collections');
  }

  reorderCollections(ids: readonly number[]): LibraryCollection[] {
    this.db.transaction(() => {
      const all = this.collections().map((c) => c.id);
      const listed = ids.filter((i) => all.includes(i));
      const order = [...new Set(listed), ...all.filter((i) => !listed.includes(i))];
      const set = this.stmt('UPDATE collections SET position = ? WHERE id = ?');
      order.forEach((cid, i) => set.run(i, cid));
    })();
    this.options.onChanged?.(null, 'collections');
    return this.collections();
  }

  private collectionVideoIds(id: number): number[] {
    return (this.stmt('SELECT video_id FROM collection_items WHERE collection_id = ? ORDER BY position, video_id').all(id) as { video_id: number }[]).map((r) => r.video_id);
  }

  collectionItems(id: number): VideoSummary[] {
    this.requireCollection(id);
    return this.summaries(this.collectionVideoIds(id));
  }

  setCollectionItems(id: number, videoIds: readonly number[]): VideoSummary[] {
    const ordered = [...new Set(videoIds)];
    let touched: number[] = [];
    this.db.transaction(() => {
      this.requireCollection(id);
      if (ordered.length) this.assertIds(ordered);
      touched = [...new Set([...this.collectionVideoIds(id), ...ordered])];
      this.stmt('DELETE FROM collection_items WHERE collection_id = ?').run(id);
      const add = this.stmt('INSERT INTO collection_items (collection_id, video_id, position) VALUES (?, ?, ?)');
      ordered.forEach((vid, i) => add.run(id, vid, i));
      this.refreshFts(touched);
    })();
    this.options.onChanged?.(touched, 'collections');
    return this.collectionItems(id);
  }

  // ---------------------------------------------------------------- derived outputs (written by the job engine)

  registerOutput(input: RegisterOutputInput): DerivedOutput {
    if (!this.stmt('SELECT 1 FROM videos WHERE id = ?').get(input.videoId)) throw new ChurchError('NOT_FOUND', `no library item with id ${input.videoId} to attach an output to`);
    if (!isAbsolute(input.path)) throw new ChurchError('INVALID_INPUT', `an output path must be absolute, got ${input.path}`);
    const id = Number(
      this.db
        .prepare('INSERT INTO derived_outputs (video_id, job_id, preset, kind, path, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(input.videoId, input.jobId, input.preset, input.kind, resolve(input.path), input.sizeBytes, now()).lastInsertRowid,
    );
    this.options.onChanged?.([input.videoId], 'outputs');
    const row = this.stmt('SELECT * FROM derived_outputs WHERE id = ?').get(id) as OutputRow;
    return toOutput(row, existsSync(row.path));
  }

  listOutputs(videoId: number): DerivedOutput[] {
    const rows = this.stmt('SELECT * FROM derived_outputs WHERE video_id = ? ORDER BY id').all(videoId) as OutputRow[];
    return rows.map((r) => toOutput(r, existsSync(r.path)));
  }

  /** Forgets an output record; deleting its files is the job engine's decision. */
  removeOutput(id: number): void {
    const row = this.stmt('SELECT video_id FROM derived_outputs WHERE id = ?').get(id) as { video_id: number } | undefined;
    if (!row) throw new ChurchError('NOT_FOUND', `no derived output with id ${id}`);
    this.stmt('DELETE FROM derived_outputs WHERE id = ?').run(id);
    this.options.onChanged?.([row.video_id], 'outputs');
  }

  // ---------------------------------------------------------------- media protocol

  /**
   * Maps a media reference to a file: `video/<id>` the original, `poster/<id>`, `sprite/<id>/sprite.jpg|sprite.vtt`,
   * `asset/<outputId>[/<file in its folder>]`. Never a path outside the item's own file or folder.
   */
  resolveMedia(ref: MediaRef): string | null {
    if (ref.kind === 'video') {
      if (ref.file) return null;
      const r = this.stmt('SELECT path, missing FROM videos WHERE id = ?').get(ref.id) as { path: string; missing: number } | undefined;
      return r && r.missing === 0 ? r.path : null;
    }
    if (ref.kind === 'poster' || ref.kind === 'sprite') {
      if (!this.assetsDir) return null;
      const r = this.stmt('SELECT fingerprint FROM videos WHERE id = ?').get(ref.id) as { fingerprint: string } | undefined;
      if (!r?.fingerprint) return null;
      const dir = assetDir(this.assetsDir, r.fingerprint);
      let file: string;
      if (ref.kind === 'poster') {
        if (ref.file && ref.file !== POSTER_FILE) return null;
        file = join(dir, POSTER_FILE);
      } else {
        const name = ref.file ?? SPRITE_FILE;
        if (name !== SPRITE_FILE && name !== SPRITE_VTT) return null;
        file = join(dir, name);
      }
      return existsSync(file) ? file : null;
    }
    if (ref.kind === 'asset') {
      const r = this.stmt('SELECT path, kind FROM derived_outputs WHERE id = ?').get(ref.id) as { path: string; kind: string } | undefined;
      return r ? resolveOutputFile(r.path, r.kind, ref.file) : null;
    }
    return null;
  }

  // ---------------------------------------------------------------- import (see importer.ts)

  import(paths: readonly string[], opts: ImportOptions = {}): Promise<ImportSummary> {
    return this.importer.run(paths, opts);
  }

  /** Rescans one root or all of them. */
  scan(rootId?: number, opts: ImportOptions = {}): Promise<ImportSummary> {
    const roots = this.roots().filter((r) => rootId === undefined || r.id === rootId);
    if (rootId !== undefined && roots.length === 0) throw new ChurchError('NOT_FOUND', `no library root with id ${rootId}`);
    if (roots.length === 0) throw new ChurchError('INVALID_INPUT', 'the library has no folders yet; import a folder first (church import PATH)');
    return this.importer.run(roots.map((r) => r.path), { ...opts, rescan: true });
  }

  cancelImport(importId?: string): { cancelled: boolean } {
    return { cancelled: this.importer.cancel(importId) };
  }

  /** Cancels a running import and resolves when it has stopped writing (the host awaits this on close). */
  async stopImports(): Promise<void> {
    this.importer.cancel();
    await this.importer.idle();
  }

  importStatus(): ImportProgress | null {
    return this.importer.status();
  }

  /** Generates missing posters/sprites (all again with force) for some items or the whole library. */
  regenerateAssets(ids?: readonly number[], force = false): Promise<{ generated: number; failed: { id: number; reason: string }[] }> {
    return this.importer.regenerate(ids, force);
  }

  // ---------------------------------------------------------------- importer's writes (one transaction each)

  upsertRoot(path: string): number {
    this.stmt('INSERT INTO library_roots (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(path, now());
    return (this.stmt('SELECT id FROM library_roots WHERE path = ?').get(path) as { id: number }).id;
  }

  touchRoots(ids: readonly number[]): void {
    const stmt = this.stmt('UPDATE library_roots SET last_scan_at = ? WHERE id = ?');
    const at = now();
    for (const id of ids) stmt.run(at, id);
  }

  byPath(path: string): { id: number; size_bytes: number; mtime_ms: number; fingerprint: string; missing: number; has_probe: number; kind: ItemKind } | null {
    return (
      (this.stmt('SELECT id, size_bytes, mtime_ms, fingerprint, missing, EXISTS (SELECT 1 FROM video_probes p WHERE p.video_id = v.id) AS has_probe, kind FROM videos v WHERE path = ?').get(path) as
        | { id: number; size_bytes: number; mtime_ms: number; fingerprint: string; missing: number; has_probe: number; kind: ItemKind }
        | undefined) ?? null
    );
  }

  markSeen(id: number, rootId: number | null, seenAt: string): void {
    this.stmt('UPDATE videos SET missing = 0, last_seen_at = ?, root_id = coalesce(?, root_id) WHERE id = ?').run(seenAt, rootId, id);
  }

  /** An item whose content (fingerprint) matches and whose old file is gone: the same video, moved. */
  movedCandidate(fingerprint: string, seenSince: string): number | null {
    const rows = this.stmt('SELECT id, path, missing FROM videos WHERE fingerprint = ? AND last_seen_at < ? ORDER BY missing DESC, id').all(fingerprint, seenSince) as { id: number; path: string; missing: number }[];
    for (const r of rows) if (r.missing === 1 || !existsSync(r.path)) return r.id;
    return null;
  }

  moveTo(id: number, facts: { path: string; rootId: number | null; sizeBytes: number; mtimeMs: number }, seenAt: string): void {
    this.db.transaction(() => {
      // Another (stale) row may hold the new path: a file was replaced by a moved one. It is gone now.
      const clash = this.stmt('SELECT id FROM videos WHERE path = ? AND id != ?').get(facts.path, id) as { id: number } | undefined;
      if (clash) this.stmt('UPDATE videos SET path = ?, missing = 1 WHERE id = ?').run(`${facts.path}#replaced-${clash.id}`, clash.id);
      this.db
        .prepare('UPDATE videos SET path = ?, file_name = ?, root_id = coalesce(?, root_id), size_bytes = ?, mtime_ms = ?, missing = 0, last_seen_at = ?, modified_at = ? WHERE id = ?')
        .run(facts.path, basename(facts.path), facts.rootId, facts.sizeBytes, facts.mtimeMs, seenAt, new Date(facts.mtimeMs).toISOString(), id);
      this.refreshFts([id]);
      this.stmt('DELETE FROM import_failures WHERE path = ?').run(facts.path);
    })();
  }

  /** Inserts a new item, or refreshes the media columns of a known one (curation untouched). */
  saveProbed(facts: MediaFacts, seenAt: string, existingId: number | null): number {
    const c = probeColumns(facts.probe);
    const state = this.assetsDir ? assetState(this.assetsDir, facts.fingerprint) : { poster: false, sprite: false };
    return this.db.transaction(() => {
      let id: number;
      const common = [facts.rootId, c.kind, facts.sizeBytes, facts.mtimeMs, facts.fingerprint, c.duration, c.width, c.height, c.vcodec, c.acodec, c.bitRate, c.container, state.poster ? 1 : 0, state.sprite ? 1 : 0, new Date(facts.mtimeMs).toISOString(), seenAt];
      if (existingId === null) {
        id = Number(
          this.db
            .prepare(
              `INSERT INTO videos (path, title, added_at, file_name, root_id, kind, size_bytes, mtime_ms, fingerprint, duration_sec, width, height, video_codec, audio_codec, bit_rate, container, has_poster, has_sprite, modified_at, last_seen_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(facts.path, defaultTitle(facts.path), seenAt, basename(facts.path), ...common).lastInsertRowid,
        );
      } else {
        id = existingId;
        this.db
          .prepare(
            `UPDATE videos SET root_id = coalesce(?, root_id), kind = ?, size_bytes = ?, mtime_ms = ?, fingerprint = ?, duration_sec = ?, width = ?, height = ?, video_codec = ?, audio_codec = ?, bit_rate = ?, container = ?, has_poster = ?, has_sprite = ?, modified_at = ?, last_seen_at = ?, missing = 0 WHERE id = ?`,
          )
          .run(...common, id);
      }
      this.stmt('INSERT INTO video_probes (video_id, probe_json) VALUES (?, ?) ON CONFLICT(video_id) DO UPDATE SET probe_json = excluded.probe_json').run(id, JSON.stringify(facts.probe));
      this.stmt('DELETE FROM import_failures WHERE path = ?').run(facts.path);
      this.refreshFts([id]);
      return id;
    })();
  }

  failureFor(path: string): { size_bytes: number; mtime_ms: number; code: ImportFailureCode; reason: string } | null {
    return (this.stmt('SELECT size_bytes, mtime_ms, code, reason FROM import_failures WHERE path = ?').get(path) as { size_bytes: number; mtime_ms: number; code: ImportFailureCode; reason: string } | undefined) ?? null;
  }

  recordFailure(f: { path: string; rootId: number | null; code: ImportFailureCode; reason: string; sizeBytes: number; mtimeMs: number }): void {
    this.db
      .prepare(
        `INSERT INTO import_failures (path, root_id, code, reason, size_bytes, mtime_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, code = excluded.code, reason = excluded.reason, size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, at = excluded.at`,
      )
      .run(f.path, f.rootId, f.code, f.reason, f.sizeBytes, f.mtimeMs, now());
  }

  /**
   * After a complete walk of roots: items of those roots not seen since `seenSince` whose file is gone are
   * flagged missing (never deleted); failures of files that vanished are dropped. Returns the ids flagged.
   */
  flagMissing(rootIds: readonly number[], seenSince: string): number[] {
    const flagged: number[] = [];
    this.db.transaction(() => {
      const set = this.stmt('UPDATE videos SET missing = 1 WHERE id = ?');
      for (const rootId of rootIds) {
        const rows = this.stmt('SELECT id, path FROM videos WHERE root_id = ? AND missing = 0 AND last_seen_at < ?').all(rootId, seenSince) as { id: number; path: string }[];
        for (const r of rows) {
          if (existsSync(r.path)) continue;
          set.run(r.id);
          flagged.push(r.id);
        }
        const failures = this.stmt('SELECT path FROM import_failures WHERE root_id = ?').all(rootId) as { path: string }[];
        for (const f of failures) if (!existsSync(f.path)) this.stmt('DELETE FROM import_failures WHERE path = ?').run(f.path);
      }
    })();
    return flagged;
  }

  /** dup_count = how many other present items share the fingerprint (missing items are not duplicates). */
  recomputeDuplicates(fingerprints: readonly string[]): void {
    const stmt = this.stmt(
      `UPDATE videos SET dup_count = CASE WHEN missing = 1 THEN 0 ELSE
         (SELECT count(*) FROM videos o WHERE o.fingerprint = videos.fingerprint AND o.id != videos.id AND o.missing = 0) END
       WHERE fingerprint = ?`,
    );
    this.db.transaction(() => {
      for (const fp of new Set(fingerprints)) if (fp) stmt.run(fp);
    })();
  }

  fingerprintsOf(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const part of chunks(ids, 500)) {
      const rows = this.stmt(`SELECT fingerprint FROM videos WHERE id IN (${part.map(() => '?').join(',')})`).all(...part) as { fingerprint: string }[];
      out.push(...rows.map((r) => r.fingerprint));
    }
    return out;
  }

  setAssetFlags(id: number, flags: { poster: boolean; sprite: boolean }): void {
    this.stmt('UPDATE videos SET has_poster = ?, has_sprite = ? WHERE id = ?').run(flags.poster ? 1 : 0, flags.sprite ? 1 : 0, id);
  }

  /** Items that need assets: videos present on disk (all of them, or these ids). */
  assetTargets(ids?: readonly number[]): { id: number; path: string; fingerprint: string; probe: ProbeResult; has_poster: number; has_sprite: number }[] {
    const rows = (ids
      ? chunks(ids, 500).flatMap((part) => this.stmt(`SELECT v.id, v.path, v.fingerprint, p.probe_json, v.has_poster, v.has_sprite FROM videos v JOIN video_probes p ON p.video_id = v.id WHERE v.kind = 'video' AND v.missing = 0 AND v.id IN (${part.map(() => '?').join(',')})`).all(...part))
      : this.stmt("SELECT v.id, v.path, v.fingerprint, p.probe_json, v.has_poster, v.has_sprite FROM videos v JOIN video_probes p ON p.video_id = v.id WHERE v.kind = 'video' AND v.missing = 0").all()) as { id: number; path: string; fingerprint: string; probe_json: string; has_poster: number; has_sprite: number }[];
    return rows.map((r) => ({ id: r.id, path: r.path, fingerprint: r.fingerprint, probe: JSON.parse(r.probe_json) as ProbeResult, has_poster: r.has_poster, has_sprite: r.has_sprite }));
  }
}
