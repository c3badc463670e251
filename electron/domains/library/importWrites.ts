import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { ImportFailureCode, ItemKind } from '../../../shared/dto/library';
import type { ProbeResult } from '../../../shared/dto/probe';
import { assetState } from './assets';
import { refreshFts } from './fullText';
import { chunks, now, placeholders, type LibraryDb, type LibraryOptions } from './libraryDb';

/** What the importer writes for a probed file. */
export interface MediaFacts {
  path: string;
  rootId: number | null;
  sizeBytes: number;
  mtimeMs: number;
  fingerprint: string;
  probe: ProbeResult;
}

/** What the importer knows of a path from an earlier scan. */
export interface KnownFile {
  id: number;
  size_bytes: number;
  mtime_ms: number;
  fingerprint: string;
  missing: number;
  has_probe: number;
  kind: ItemKind;
}

export interface AssetTarget {
  id: number;
  path: string;
  fingerprint: string;
  probe: ProbeResult;
  has_poster: number;
  has_sprite: number;
}

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

/**
 * The importer's side of the library: what it reads back of earlier scans and what it records (roots, items
 * seen, moved or probed, failures, missing flags, duplicate counts, asset flags), one transaction each, so a
 * cancelled or crashed import leaves whole items only. Curation columns are never touched here.
 */
export class ImportWrites {
  constructor(private readonly lib: LibraryDb) {}

  get options(): LibraryOptions {
    return this.lib.options;
  }

  get assetsDir(): string | null {
    return this.lib.assetsDir;
  }

  upsertRoot(path: string): number {
    this.lib.stmt('INSERT INTO library_roots (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(path, now());
    return (this.lib.stmt('SELECT id FROM library_roots WHERE path = ?').get(path) as { id: number }).id;
  }

  touchRoots(ids: readonly number[]): void {
    const stmt = this.lib.stmt('UPDATE library_roots SET last_scan_at = ? WHERE id = ?');
    const at = now();
    for (const id of ids) stmt.run(at, id);
  }

  byPath(path: string): KnownFile | null {
    return (this.lib.stmt('SELECT id, size_bytes, mtime_ms, fingerprint, missing, EXISTS (SELECT 1 FROM video_probes p WHERE p.video_id = v.id) AS has_probe, kind FROM videos v WHERE path = ?').get(path) as KnownFile | undefined) ?? null;
  }

  markSeen(id: number, rootId: number | null, seenAt: string): void {
    this.lib.stmt('UPDATE videos SET missing = 0, last_seen_at = ?, root_id = coalesce(?, root_id) WHERE id = ?').run(seenAt, rootId, id);
  }

  /** An item whose content (fingerprint) matches and whose old file is gone: the same video, moved. */
  movedCandidate(fingerprint: string, seenSince: string): number | null {
    const rows = this.lib.stmt('SELECT id, path, missing FROM videos WHERE fingerprint = ? AND last_seen_at < ? ORDER BY missing DESC, id').all(fingerprint, seenSince) as { id: number; path: string; missing: number }[];
    for (const r of rows) if (r.missing === 1 || !existsSync(r.path)) return r.id;
    return null;
  }

  moveTo(id: number, facts: { path: string; rootId: number | null; sizeBytes: number; mtimeMs: number }, seenAt: string): void {
    const { lib } = this;
    lib.db.transaction(() => {
      // Another (stale) row may hold the new path: a file was replaced by a moved one. It is gone now.
      const clash = lib.stmt('SELECT id FROM videos WHERE path = ? AND id != ?').get(facts.path, id) as { id: number } | undefined;
      if (clash) lib.stmt('UPDATE videos SET path = ?, missing = 1 WHERE id = ?').run(`${facts.path}#replaced-${clash.id}`, clash.id);
      lib.db
        .prepare('UPDATE videos SET path = ?, file_name = ?, root_id = coalesce(?, root_id), size_bytes = ?, mtime_ms = ?, missing = 0, last_seen_at = ?, modified_at = ? WHERE id = ?')
        .run(facts.path, basename(facts.path), facts.rootId, facts.sizeBytes, facts.mtimeMs, seenAt, new Date(facts.mtimeMs).toISOString(), id);
      refreshFts(lib, [id]);
      lib.stmt('DELETE FROM import_failures WHERE path = ?').run(facts.path);
    })();
  }

  /** Inserts a new item, or refreshes the media columns of a known one (curation untouched). */
  saveProbed(facts: MediaFacts, seenAt: string, existingId: number | null): number {
    return this.lib.db.transaction(() => this.writeProbed(facts, seenAt, existingId))();
  }

  /**
   * Several probed files in one transaction (whole items still: all of them or none). A commit is most of what a
   * header-read file costs (the WAL frames of the row, its indexes and a new full-text segment), so the importer
   * writes its files in batches. Returns the ids in the order given.
   */
  saveProbedMany(items: readonly { facts: MediaFacts; existingId: number | null }[], seenAt: string): number[] {
    return this.lib.db.transaction(() => items.map((i) => this.writeProbed(i.facts, seenAt, i.existingId)))();
  }

  private writeProbed(facts: MediaFacts, seenAt: string, existingId: number | null): number {
    const { lib } = this;
    const c = probeColumns(facts.probe);
    const state = lib.assetsDir ? assetState(lib.assetsDir, facts.fingerprint) : { poster: false, sprite: false };
    let id: number;
    const common = [facts.rootId, c.kind, facts.sizeBytes, facts.mtimeMs, facts.fingerprint, c.duration, c.width, c.height, c.vcodec, c.acodec, c.bitRate, c.container, state.poster ? 1 : 0, state.sprite ? 1 : 0, new Date(facts.mtimeMs).toISOString(), seenAt];
    if (existingId === null) {
      id = Number(
        lib
          .stmt(
            `INSERT INTO videos (path, title, added_at, file_name, root_id, kind, size_bytes, mtime_ms, fingerprint, duration_sec, width, height, video_codec, audio_codec, bit_rate, container, has_poster, has_sprite, modified_at, last_seen_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(facts.path, defaultTitle(facts.path), seenAt, basename(facts.path), ...common).lastInsertRowid,
      );
    } else {
      id = existingId;
      lib
        .stmt(
          `UPDATE videos SET root_id = coalesce(?, root_id), kind = ?, size_bytes = ?, mtime_ms = ?, fingerprint = ?, duration_sec = ?, width = ?, height = ?, video_codec = ?, audio_codec = ?, bit_rate = ?, container = ?, has_poster = ?, has_sprite = ?, modified_at = ?, last_seen_at = ?, missing = 0 WHERE id = ?`,
        )
        .run(...common, id);
    }
    lib.stmt('INSERT INTO video_probes (video_id, probe_json) VALUES (?, ?) ON CONFLICT(video_id) DO UPDATE SET probe_json = excluded.probe_json').run(id, JSON.stringify(facts.probe));
    lib.stmt('DELETE FROM import_failures WHERE path = ?').run(facts.path);
    refreshFts(lib, [id]);
    return id;
  }

  failureFor(path: string): { size_bytes: number; mtime_ms: number; code: ImportFailureCode; reason: string } | null {
    return (this.lib.stmt('SELECT size_bytes, mtime_ms, code, reason FROM import_failures WHERE path = ?').get(path) as { size_bytes: number; mtime_ms: number; code: ImportFailureCode; reason: string } | undefined) ?? null;
  }

  /**
   * Forgets the recorded failures of these files (the owner dismissed them, or asked for a retry: a file whose
   * failure is forgotten is probed again by the next import instead of repeating the old reason). Returns how many
   * were recorded.
   */
  forgetFailures(paths: readonly string[]): number {
    const del = this.lib.stmt('DELETE FROM import_failures WHERE path = ?');
    let n = 0;
    this.lib.db.transaction(() => {
      for (const p of new Set(paths)) n += del.run(p).changes;
    })();
    return n;
  }

  recordFailure(f: { path: string; rootId: number | null; code: ImportFailureCode; reason: string; sizeBytes: number; mtimeMs: number }): void {
    this.lib.db
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
    const { lib } = this;
    const flagged: number[] = [];
    lib.db.transaction(() => {
      const set = lib.stmt('UPDATE videos SET missing = 1 WHERE id = ?');
      for (const rootId of rootIds) {
        const rows = lib.stmt('SELECT id, path FROM videos WHERE root_id = ? AND missing = 0 AND last_seen_at < ?').all(rootId, seenSince) as { id: number; path: string }[];
        for (const r of rows) {
          if (existsSync(r.path)) continue;
          set.run(r.id);
          flagged.push(r.id);
        }
        const failures = lib.stmt('SELECT path FROM import_failures WHERE root_id = ?').all(rootId) as { path: string }[];
        for (const f of failures) if (!existsSync(f.path)) lib.stmt('DELETE FROM import_failures WHERE path = ?').run(f.path);
      }
    })();
    return flagged;
  }

  /** dup_count = how many other present items share the fingerprint (missing items are not duplicates). */
  recomputeDuplicates(fingerprints: readonly string[]): void {
    const stmt = this.lib.stmt(
      `UPDATE videos SET dup_count = CASE WHEN missing = 1 THEN 0 ELSE
         (SELECT count(*) FROM videos o WHERE o.fingerprint = videos.fingerprint AND o.id != videos.id AND o.missing = 0) END
       WHERE fingerprint = ?`,
    );
    this.lib.db.transaction(() => {
      for (const fp of new Set(fingerprints)) if (fp) stmt.run(fp);
    })();
  }

  fingerprintsOf(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const part of chunks(ids)) {
      const rows = this.lib.stmt(`SELECT fingerprint FROM videos WHERE id IN (${placeholders(part)})`).all(...part) as { fingerprint: string }[];
      out.push(...rows.map((r) => r.fingerprint));
    }
    return out;
  }

  setAssetFlags(id: number, flags: { poster: boolean; sprite: boolean }): void {
    this.lib.stmt('UPDATE videos SET has_poster = ?, has_sprite = ? WHERE id = ?').run(flags.poster ? 1 : 0, flags.sprite ? 1 : 0, id);
  }

  /** Items that need assets: videos present on disk (all of them, or these ids). */
  assetTargets(ids?: readonly number[]): AssetTarget[] {
    const select = "SELECT v.id, v.path, v.fingerprint, p.probe_json, v.has_poster, v.has_sprite FROM videos v JOIN video_probes p ON p.video_id = v.id WHERE v.kind = 'video' AND v.missing = 0";
    const rows = (ids ? chunks(ids).flatMap((part) => this.lib.stmt(`${select} AND v.id IN (${placeholders(part)})`).all(...part)) : this.lib.stmt(select).all()) as (Omit<AssetTarget, 'probe'> & { probe_json: string })[];
    return rows.map((r) => ({ id: r.id, path: r.path, fingerprint: r.fingerprint, probe: JSON.parse(r.probe_json) as ProbeResult, has_poster: r.has_poster, has_sprite: r.has_sprite }));
  }
}
