import type { DuplicateGroup, ImportFailure, ImportFailureCode, LibraryStats, LibraryTag, VideoDetail, VideoSummary } from '../../../shared/dto/library';
import type { ProbeResult } from '../../../shared/dto/probe';
import { ChurchError } from '../../../shared/errors';
import type { DerivedOutputs } from './derivedOutputs';
import { chunks, placeholders, type LibraryDb } from './libraryDb';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow, type VideoRow } from './rows';

/** Reading items: one in full, many as summaries, and the library-wide figures (stats, tags, duplicates, failures). */
export class ItemQueries {
  constructor(
    private readonly lib: LibraryDb,
    private readonly outputs: DerivedOutputs,
  ) {}

  pathOf(id: number): string | null {
    const row = this.lib.stmt('SELECT path FROM videos WHERE id = ?').get(id) as { path: string } | undefined;
    return row?.path ?? null;
  }

  private row(id: number): VideoRow | null {
    return (this.lib.stmt(`SELECT ${SUMMARY_COLUMNS}, v.path, v.root_id, v.mtime_ms, v.fingerprint, v.container, p.probe_json, v.notes, v.last_seen_at FROM videos v LEFT JOIN video_probes p ON p.video_id = v.id WHERE v.id = ?`).get(id) as VideoRow | undefined) ?? null;
  }

  getVideo(id: number): VideoDetail | null {
    const r = this.row(id);
    if (!r) return null;
    const collections = this.lib.db
      .prepare('SELECT c.id, c.name FROM collection_items ci JOIN collections c ON c.id = ci.collection_id WHERE ci.video_id = ? ORDER BY c.position, c.id')
      .all(id) as { id: number; name: string }[];
    const duplicateIds = r.fingerprint
      ? (this.lib.stmt('SELECT id FROM videos WHERE fingerprint = ? AND id != ? ORDER BY id').all(r.fingerprint, id) as { id: number }[]).map((d) => d.id)
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
      outputs: this.outputs.list(id),
      lastSeenAt: r.last_seen_at,
    };
  }

  requireVideo(id: number): VideoDetail {
    const v = this.getVideo(id);
    if (!v) throw new ChurchError('NOT_FOUND', `no library item with id ${id}; list the library to see the ids`);
    return v;
  }

  /** Summaries in the order of `ids`; unknown ids are left out. */
  summaries(ids: readonly number[]): VideoSummary[] {
    const byId = new Map<number, VideoSummary>();
    for (const part of chunks(ids)) {
      const rows = this.lib.stmt(`SELECT ${SUMMARY_COLUMNS} FROM videos v WHERE v.id IN (${placeholders(part)})`).all(...part) as SummaryRow[];
      for (const r of rows) byId.set(r.id, toSummary(r));
    }
    return ids.map((i) => byId.get(i)).filter((s): s is VideoSummary => s !== undefined);
  }

  /** Throws NOT_FOUND naming the unknown ids (the first five) before a write touches any of them. */
  assertIds(ids: readonly number[]): void {
    for (const part of chunks([...new Set(ids)])) {
      const found = (this.lib.stmt(`SELECT count(*) AS n FROM videos WHERE id IN (${placeholders(part)})`).get(...part) as { n: number }).n;
      if (found !== part.length) {
        const known = new Set((this.lib.stmt(`SELECT id FROM videos WHERE id IN (${placeholders(part)})`).all(...part) as { id: number }[]).map((r) => r.id));
        const unknown = part.filter((i) => !known.has(i));
        throw new ChurchError('NOT_FOUND', `no library item with id ${unknown.slice(0, 5).join(', ')}; nothing was changed`);
      }
    }
  }

  stats(): LibraryStats {
    const r = this.lib.db
      .prepare(
        `SELECT sum(kind = 'video') AS videos, sum(kind = 'audio') AS audio, sum(missing) AS missing, coalesce(sum(size_bytes), 0) AS bytes, coalesce(sum(duration_sec), 0) AS dur,
          (SELECT count(*) FROM (SELECT fingerprint FROM videos WHERE dup_count > 0 GROUP BY fingerprint)) AS groups,
          (SELECT count(*) FROM import_failures) AS failures FROM videos`,
      )
      .get() as { videos: number | null; audio: number | null; missing: number | null; bytes: number; dur: number; groups: number; failures: number };
    return { videos: r.videos ?? 0, audio: r.audio ?? 0, missing: r.missing ?? 0, duplicateGroups: r.groups, failures: r.failures, totalBytes: r.bytes, totalDurationSec: Math.round(r.dur * 1000) / 1000 };
  }

  tags(): LibraryTag[] {
    return this.lib.stmt('SELECT t.name, count(vt.video_id) AS count FROM tags t JOIN video_tags vt ON vt.tag_id = t.id GROUP BY t.id ORDER BY count DESC, t.name').all() as LibraryTag[];
  }

  duplicates(): DuplicateGroup[] {
    const groups = this.lib.db
      .prepare("SELECT fingerprint, max(size_bytes) AS size, group_concat(id) AS ids FROM videos WHERE dup_count > 0 AND fingerprint != '' GROUP BY fingerprint ORDER BY size DESC")
      .all() as { fingerprint: string; size: number; ids: string }[];
    return groups.map((g) => ({ fingerprint: g.fingerprint, sizeBytes: g.size, items: this.summaries(g.ids.split(',').map(Number).sort((a, b) => a - b)) }));
  }

  failures(rootId?: number): ImportFailure[] {
    const rows = (rootId === undefined
      ? this.lib.stmt('SELECT path, code, reason, at FROM import_failures ORDER BY path').all()
      : this.lib.stmt('SELECT path, code, reason, at FROM import_failures WHERE root_id = ? ORDER BY path').all(rootId)) as { path: string; code: ImportFailureCode; reason: string; at: string }[];
    return rows;
  }
}
