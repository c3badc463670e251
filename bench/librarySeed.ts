import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../electron/platform/db';
import { LibraryStore } from '../electron/domains/library';

export const WORDS = 'amber aurora bliss breath candle cascade cathedral chant circle cloud crystal dawn deep drift dream echo ember eternal evening falling feather flame float flow focus forest gentle glow golden grace harbour haze hymn journey lagoon lantern light loop lotus lullaby lumen mantra meadow mirror mist moon morning murmur nebula night ocean orbit pastel petal pulse quiet radiant rain reverie ripple river rose sacred serene shadow shore silk silver slumber solace spiral star still stream sun surrender temple tide trance twilight velvet vesper violet voice wander wave whisper willow wind wonder'.split(' ');
export const TAGS = ['trance', 'loop', 'ambient', 'voice', 'visual', 'spiral', 'deep', 'short', 'long', 'favourite-set'];
export const CODECS = ['h264', 'hevc', 'vp9', 'av1'];
const HEIGHTS = [360, 480, 720, 1080, 2160];
export const TIERS = ['free', 'subscriber', 'premium'] as const;

/** Bump when the generated rows change, so a cached library file is rebuilt. */
const SEED_VERSION = 2;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A synthetic library written straight into the schema; the CLI and backup benches use it too. Built for speed
 * at 1,000,000 rows: no journal while seeding, the indexes of the videos table dropped and rebuilt after the
 * rows are in (sorting once beats a million random index inserts), one transaction of prepared inserts.
 */
export function seedLibrary(db: Db, rows: number): void {
  new LibraryStore(db); // migrations
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('videos', 'video_tags') AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const insert = db.prepare(
    `INSERT INTO videos (id, path, title, added_at, file_name, kind, size_bytes, mtime_ms, fingerprint, duration_sec, width, height, video_codec, audio_codec, bit_rate, container, tier, rating, favourite, tags_json, notes, modified_at, last_seen_at, dup_count)
     VALUES (?, ?, ?, ?, ?, 'video', ?, ?, ?, ?, ?, ?, ?, 'aac', ?, 'mov,mp4,m4a,3gp,3g2,mj2', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fts = db.prepare('INSERT INTO videos_fts (rowid, title, file_name, tags, collections, notes) VALUES (?, ?, ?, ?, ?, ?)');
  const tagRow = db.prepare('INSERT INTO video_tags (video_id, tag_id) VALUES (?, ?)');
  db.transaction(() => {
    const tagIds = TAGS.map((t) => Number(db.prepare('INSERT INTO tags (name) VALUES (?)').run(t).lastInsertRowid));
    for (let id = 1; id <= rows; id++) {
      const title = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${id}`;
      const file = `${title.replace(/ /g, '_')}.mp4`;
      const height = pick(HEIGHTS);
      const tags = TAGS.filter(() => rand() < 0.15);
      const added = new Date(1_600_000_000_000 + id * 60_000).toISOString();
      const notes = rand() < 0.1 ? `notes about ${pick(WORDS)}` : '';
      insert.run(id, `/library/${id % 100}/${file}`, title, added, file, Math.floor(rand() * 4e9), 1_600_000_000_000 + id, `${id.toString(16).padStart(16, '0')}`, round3(5 + rand() * 3600), Math.round((height * 16) / 9), height, pick(CODECS), Math.floor(rand() * 2e7), pick(TIERS), Math.floor(rand() * 6), rand() < 0.05 ? 1 : 0, JSON.stringify(tags), notes, added, added, rand() < 0.02 ? 1 : 0);
      fts.run(id, title, file, tags.join(' '), '', notes);
      for (const t of tags) tagRow.run(id, tagIds[TAGS.indexOf(t)]);
    }
    for (const i of indexes) db.exec(i.sql);
  })();
  db.exec("INSERT INTO videos_fts (videos_fts) VALUES ('optimize')");
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

/**
 * The path of a seeded library of `rows` items, built once and kept under the system's temp folder (a million
 * rows take about a minute to generate, and the benches only read them). Keyed by the row count, the seed version
 * and the library's schema version, so a changed schema or generator builds a fresh file.
 */
export function cachedLibrary(rows: number): string {
  const dir = join(tmpdir(), 'church-bench-cache');
  mkdirSync(dir, { recursive: true });
  const probe = openDatabase(':memory:');
  new LibraryStore(probe);
  const schema = (probe.prepare("SELECT version FROM schema_version WHERE domain = 'library'").get() as { version: number }).version;
  probe.close();
  const file = join(dir, `library-${rows}-seed${SEED_VERSION}-schema${schema}.sqlite`);
  if (existsSync(file)) return file;
  const building = `${file}.${process.pid}.building`;
  rmSync(building, { force: true });
  const db = openDatabase(building);
  try {
    seedLibrary(db, rows);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  rmSync(`${building}-wal`, { force: true });
  rmSync(`${building}-shm`, { force: true });
  renameSync(building, file);
  return file;
}
