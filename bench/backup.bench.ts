import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { openDatabase } from '../electron/platform/db';
import { recordCleanClose, ResticRepository, runStartCheck, snapshotPath, takeSnapshot } from '../electron/domains/backup';
import { LibraryStore } from '../electron/domains/library';
import { ROWS, seedLibrary } from './library.bench';
import { writeBenchResult, type BenchTarget } from './write-result';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const QUERY_WORDS = ['amber', 'trance', 'ocean', 'spiral', 'night', 'temple', 'velvet', 'moon', 'drift', 'lotus'];

/**
 * The latency the UI sees for one search: from the moment the request is taken up (a turn of the event loop,
 * as a message from the window would be) until its answer, so a backup step that holds the thread is counted.
 */
async function searchLatencies(store: LibraryStore, until: () => boolean, minQueries: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < minQueries || !until(); i++) {
    const asked = performance.now();
    await yieldTurn();
    const q = i % 2 === 0 ? { query: QUERY_WORDS[i % QUERY_WORDS.length], limit: 100 } : { minHeight: 720, sort: 'addedAt' as const, order: 'desc' as const, limit: 100 };
    store.search(q);
    times.push(performance.now() - asked);
  }
  return times;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'church-backup-bench-'));
  const details: Record<string, unknown> = { loadAverageAtStart: loadavg().map((l) => round(l, 1)), rows: ROWS };
  const targets: BenchTarget[] = [];
  try {
    const dbFile = join(dir, 'studio.sqlite');
    const db = openDatabase(dbFile);
    seedLibrary(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const store = new LibraryStore(db);
    store.search({ query: 'warm', limit: 10 }); // warm the page cache

    // Side by side, alternating: idle rounds and rounds during a snapshot, so machine load hits both alike.
    const idle: number[] = [];
    const during: number[] = [];
    const snapshotMs: number[] = [];
    let size = 0;
    for (let round_ = 0; round_ < 3; round_++) {
      idle.push(...(await searchLatencies(store, () => true, 300)));
      let done = false;
      const t0 = performance.now();
      const snap = takeSnapshot(dbFile, { dataDir: dir, reason: 'manual', keep: 2 }).finally(() => (done = true));
      during.push(...(await searchLatencies(store, () => done, 20)));
      const s = await snap;
      snapshotMs.push(performance.now() - t0);
      size = s.sizeBytes;
    }
    const idleP95 = round(percentile(idle, 95));
    const duringP95 = round(percentile(during, 95));
    details.search = { idle: { p50: round(percentile(idle, 50)), p95: idleP95, n: idle.length }, duringSnapshot: { p50: round(percentile(during, 50)), p95: duringP95, n: during.length }, unit: 'ms from the request being taken up to its answer' };
    targets.push({ name: 'search p95 during a snapshot vs idle', value: round(duringP95 / idleP95), unit: '×', target: '≤ 1.5', met: duringP95 / idleP95 <= 1.5 });
    details.snapshot = { medianMs: round(percentile(snapshotMs, 50), 0), allMs: snapshotMs.map((m) => round(m, 0)), sizeBytes: size, sizeMB: round(size / 1024 / 1024, 1), includes: 'online backup + integrity_check + row counts + plan/presets' };

    // The start check the desktop app, serve and mcp run: the full PRAGMA quick_check (after a crash, once a
    // day, when the file changed while closed) and the one a clean restart runs (each table's root).
    const fullCheck = runStartCheck(dir, { forceFull: true });
    recordCleanClose(dir, true);
    const cleanCheck = runStartCheck(dir);
    if (cleanCheck.kind !== 'roots') throw new Error(`a clean restart ran the ${cleanCheck.kind} check: ${cleanCheck.reason}`);
    details.startCheckMs = { full: fullCheck.ms, cleanRestart: cleanCheck.ms };

    // restic: the first upload, then a day's typical changes (200 imports, 500 curation edits on recent items,
    // 50 removals), then the worst case for restic's ~1 MB chunks: 500 edits scattered over the whole table.
    // Two repositories side by side: snapshots as the studio takes them (VACUUMed copies) and raw page copies.
    const repo = new ResticRepository({ repository: join(dir, 'repo'), password: 'bench-password' });
    const rawRepo = new ResticRepository({ repository: join(dir, 'repo-raw'), password: 'bench-password' });
    await repo.ensureInitialized();
    await rawRepo.ensureInitialized();
    const snapshotBoth = async () => {
      const compact = await takeSnapshot(dbFile, { dataDir: dir, reason: 'manual', keep: 10 });
      const compactUp = await repo.backup(snapshotPath(dir, compact.id), compact.id);
      const raw = await takeSnapshot(dbFile, { dataDir: dir, reason: 'manual', keep: 10, compact: false });
      const rawUp = await rawRepo.backup(snapshotPath(dir, raw.id), raw.id);
      return { compact: compactUp.dataAdded, raw: rawUp.dataAdded };
    };
    const full = await snapshotBoth();
    db.transaction(() => {
      const insert = db.prepare("INSERT INTO videos (path, title, added_at, file_name, kind, size_bytes, mtime_ms, fingerprint, modified_at, last_seen_at) VALUES (?, ?, ?, ?, 'video', 1000, 0, ?, ?, ?)");
      const now = new Date().toISOString();
      for (let i = 0; i < 200; i++) {
        const id = Number(insert.run(`/new/${i}.mp4`, `new clip ${i}`, now, `${i}.mp4`, `new${String(i).padStart(13, '0')}`, now, now).lastInsertRowid);
        db.prepare('INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes) VALUES (?, ?, ?, ?, ?, ?)').run(id, `new clip ${i}`, `${i}.mp4`, '', '', '');
      }
      const rate = db.prepare('UPDATE videos SET rating = ?, modified_at = ? WHERE id = ?');
      for (let i = 0; i < 500; i++) rate.run(i % 6, now, ROWS - ((i * 7) % 5000));
    })();
    store.remove(Array.from({ length: 50 }, (_, i) => ROWS - 6000 - i * 37));
    const incremental = await snapshotBoth();
    const scatter = db.prepare('UPDATE videos SET rating = ? WHERE id = ?');
    db.transaction(() => {
      for (let i = 0; i < 500; i++) scatter.run((i + 1) % 6, 1 + ((i * 197) % ROWS));
    })();
    const scattered = await snapshotBoth();
    const mb = (b: number) => round(b / 1024 / 1024, 2);
    details.restic = {
      dayOfChanges: '200 new items, 500 rating edits among the newest 5,000, 50 removals',
      vacuumedCopies: { firstUploadBytes: full.compact, firstUploadMB: mb(full.compact), dayOfChangesUploadBytes: incremental.compact, dayOfChangesUploadMB: mb(incremental.compact), scattered500EditsUploadMB: mb(scattered.compact) },
      rawPageCopies: { firstUploadBytes: full.raw, firstUploadMB: mb(full.raw), dayOfChangesUploadBytes: incremental.raw, dayOfChangesUploadMB: mb(incremental.raw), scattered500EditsUploadMB: mb(scattered.raw) },
    };
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  details.loadAverageAtEnd = loadavg().map((l) => round(l, 1));
  writeBenchResult('backup', { targets, details });
}
