import type { Statement } from 'better-sqlite3';
import type { ImportProgress } from '../../../shared/dto/library';
import type { Db } from '../../platform/db';

export type LibraryChange = 'import' | 'curation' | 'assets' | 'remove' | 'collections' | 'outputs';

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
  onChanged?: (ids: number[] | null, reason: LibraryChange) => void;
}

export const now = (): string => new Date().toISOString();

/**
 * How much of the database file SQLite reads through a memory map (capped by SQLite's own build limit). A sorted,
 * filtered page walks a sort index and reads the table row of each entry it passes, scattered over the file; at
 * 1,000,000 items, through read() calls and the 2 MB page cache that was 3-4 times the CPU of reading the same
 * pages mapped (docs/benchmarks.md).
 */
export const MMAP_BYTES = 2 ** 31;

/** SQLite caps bound parameters per statement, so id lists go in slices of this many. */
export const ID_SLICE = 500;

export function chunks<T>(items: readonly T[], size = ID_SLICE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `?,?,?` for an `IN (…)` list of this many values. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(',');
}

/**
 * What every part of the library shares: the connection, its cache of prepared statements and the options.
 * Each part (queries, curation, collections, outputs, the importer's writes) is handed this one object.
 */
export class LibraryDb {
  readonly assetsDir: string | null;
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    readonly options: LibraryOptions,
  ) {
    this.assetsDir = options.assetsDir ?? null;
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
  }

  /** Prepared statements are reused: preparing costs more than running most of these queries. */
  stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size > 1000) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  changed(ids: number[] | null, reason: LibraryChange): void {
    this.options.onChanged?.(ids, reason);
  }
}
