import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../electron/platform/db';
import { LibraryStore } from '../electron/domains/library';
import { buildPosterArgs, resolveBinary } from '../electron/platform/media';
import { runProcess } from '../electron/platform/process';
import { rounds } from './measure';
import { writeBenchResult, type BenchTarget } from './write-result';

export const ROWS = rounds(100_000, 10_000);
const CLIPS = rounds(200, 40);

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => percentile(xs, 50);

async function ffmpeg(args: string[], timeoutMs = 300_000): Promise<void> {
  const r = await runProcess(resolveBinary('ffmpeg').path!, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

/** 200 small, distinct clips: 20 encodes, each copied 10 times with a unique trailing free box. */
async function makeClipFolder(dir: string): Promise<string[]> {
  const seeds: string[] = [];
  await pool(Array.from({ length: 20 }, (_, i) => i), 2, async (i) => {
    const out = join(dir, `seed-${i}.mp4`);
    await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=160x120:rate=25:duration=${1 + (i % 3)}`, '-f', 'lavfi', '-i', `sine=frequency=${200 + i * 10}:duration=${1 + (i % 3)}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out]);
    seeds.push(out);
  });
  const files: string[] = [];
  const lib = join(dir, 'clips');
  mkdirSync(lib);
  for (let i = 0; i < CLIPS; i++) {
    const f = join(lib, `clip ${String(i).padStart(3, '0')}.mp4`);
    copyFileSync(seeds[i % seeds.length]!, f);
    const free = Buffer.alloc(16);
    free.writeUInt32BE(16, 0);
    free.write('free', 4, 'latin1');
    free.writeUInt32BE(i, 8);
    appendFileSync(f, free); // a trailing top-level box: valid MP4, distinct content (no duplicates)
    files.push(f);
  }
  return files;
}

async function ffprobeAlone(files: string[], parallel: number): Promise<number> {
  const bin = resolveBinary('ffprobe').path!;
  const t0 = performance.now();
  await pool(files, parallel, async (f) => {
    const r = await runProcess(bin, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `file:${f}`], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(r.stderr);
  });
  return files.length / ((performance.now() - t0) / 1000);
}

async function importRate(dir: string, files: string[], headerProbe: boolean): Promise<number> {
  const dataDir = mkdtempSync(join(dir, 'data-'));
  const db = openDatabase(join(dataDir, 'studio.sqlite'));
  try {
    const store = new LibraryStore(db, { headerProbe });
    const t0 = performance.now();
    const s = await store.import([join(dir, 'clips')], { assets: false });
    const secs = (performance.now() - t0) / 1000;
    if (s.imported !== files.length || s.failed.length) throw new Error(`import bench imported ${s.imported}/${files.length}, ${s.failed.length} failed`);
    return files.length / secs;
  } finally {
    db.close();
  }
}

const WORDS = 'amber aurora bliss breath candle cascade cathedral chant circle cloud crystal dawn deep drift dream echo ember eternal evening falling feather flame float flow focus forest gentle glow golden grace harbour haze hymn journey lagoon lantern light loop lotus lullaby lumen mantra meadow mirror mist moon morning murmur nebula night ocean orbit pastel petal pulse quiet radiant rain reverie ripple river rose sacred serene shadow shore silk silver slumber solace spiral star still stream sun surrender temple tide trance twilight velvet vesper violet voice wander wave whisper willow wind wonder'.split(' ');
const TAGS = ['trance', 'loop', 'ambient', 'voice', 'visual', 'spiral', 'deep', 'short', 'long', 'favourite-set'];
const CODECS = ['h264', 'hevc', 'vp9', 'av1'];
const HEIGHTS = [360, 480, 720, 1080, 2160];
const TIERS = ['free', 'subscriber', 'premium'] as const;

/** A synthetic library (100k items by default) written straight into the schema (one transaction); the CLI bench uses it too. */
export function seedLibrary(db: Db, rows = ROWS): void {
  new LibraryStore(db); // migrations
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const insert = db.prepare(
    `INSERT INTO videos (id, path, title, added_at, file_name, kind, size_bytes, mtime_ms, fingerprint, duration_sec, width, height, video_codec, audio_codec, bit_rate, container, tier, rating, favourite, tags_json, modified_at, last_seen_at, dup_count)
     VALUES (?, ?, ?, ?, ?, 'video', ?, ?, ?, ?, ?, ?, ?, 'aac', ?, 'mov,mp4,m4a,3gp,3g2,mj2', ?, ?, ?, ?, ?, ?, ?)`,
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
      insert.run(id, `/library/${id % 100}/${file}`, title, added, file, Math.floor(rand() * 4e9), 1_600_000_000_000 + id, `${id.toString(16).padStart(16, '0')}`, round(5 + rand() * 3600, 3), Math.round((height * 16) / 9), height, pick(CODECS), Math.floor(rand() * 2e7), pick(TIERS), Math.floor(rand() * 6), rand() < 0.05 ? 1 : 0, JSON.stringify(tags), added, added, rand() < 0.02 ? 1 : 0);
      fts.run(id, title, file, tags.join(' '), '', rand() < 0.1 ? `notes about ${pick(WORDS)}` : '');
      for (const t of tags) tagRow.run(id, tagIds[TAGS.indexOf(t)]);
    }
  })();
  db.exec('ANALYZE');
}

function timeQueries(store: LibraryStore, make: (i: number) => Parameters<LibraryStore['search']>[0], n: number): { p50: number; p95: number; max: number; rows: number } {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    rows += store.search(make(i)).items.length;
    times.push(performance.now() - t0);
  }
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(Math.max(...times)), rows: Math.round(rows / n) };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'church-library-bench-'));
  const targets: BenchTarget[] = [];
  // The machine is shared: the load average says how much the figures are inflated by other work.
  const details: Record<string, unknown> = { loadAverageAtStart: loadavg().map((l) => round(l, 1)) };
  try {
    // ---- import throughput
    const parallel = availableParallelism();
    const files = await makeClipFolder(dir);
    const ffprobeRate = await ffprobeAlone(files, parallel);
    const headerRates: number[] = [];
    for (let i = 0; i < 3; i++) headerRates.push(await importRate(dir, files, true));
    const ffprobeModeRate = await importRate(dir, files, false);
    const importRateMedian = median(headerRates);
    details.import = { files: files.length, parallel, ffprobeAloneFilesPerSec: round(ffprobeRate, 1), importFilesPerSec: headerRates.map((r) => round(r, 1)), importWithFfprobeForEveryFileFilesPerSec: round(ffprobeModeRate, 1), ffprobe: resolveBinary('ffprobe').path };
    targets.push({ name: `import throughput (${files.length} clips, header reader + ffprobe fallback, ${parallel} parallel)`, value: round(importRateMedian, 1), unit: 'files/s', target: '>= 400', met: importRateMedian >= 400 });
    targets.push({ name: 'import throughput / ffprobe alone on the same files, same parallelism', value: round(importRateMedian / ffprobeRate, 2), unit: 'ratio', target: '>= 0.9', met: importRateMedian / ffprobeRate >= 0.9 });
    details.import = { ...(details.import as object), ffprobeForEveryFileRatioToFfprobeAlone: round(ffprobeModeRate / ffprobeRate, 2) };

    // ---- search and list at 100k rows
    const db = openDatabase(join(dir, 'big.sqlite'));
    const t0 = performance.now();
    seedLibrary(db);
    details.seedSeconds = round((performance.now() - t0) / 1000, 1);
    const store = new LibraryStore(db);
    const N = 300;
    const text = timeQueries(store, (i) => ({ query: WORDS[(i * 7) % WORDS.length], sort: 'relevance', order: 'desc', limit: 100 }), N);
    // A first keystroke: one letter matches a large part of the library (relevance scores the newest 5000).
    const textOneLetter = timeQueries(store, (i) => ({ query: WORDS[(i * 7) % WORDS.length]!.slice(0, 1), sort: 'relevance', order: 'desc', limit: 100 }), N);
    const textByDate = timeQueries(store, (i) => ({ query: `${WORDS[(i * 7) % WORDS.length]!.slice(0, 4)}`, sort: 'addedAt', order: 'desc', limit: 100 }), N);
    const sorts = ['duration', 'title', 'rating', 'size', 'addedAt', 'resolution'] as const;
    const filtered = timeQueries(store, (i) => ({ tiers: [TIERS[i % 3]!], minHeight: 720, minRating: i % 4, sort: sorts[i % sorts.length]!, order: i % 2 ? 'asc' : 'desc', limit: 100 }), N);
    const tagFiltered = timeQueries(store, (i) => ({ tags: [TAGS[i % TAGS.length]!], codecs: [CODECS[i % 4]!], sort: 'duration', order: 'desc', limit: 100 }), N);
    // Deep keyset page: the cursor of row ~50,000 of the whole library by title.
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) cursor = store.search({ sort: 'title', order: 'asc', limit: 500, cursor, withTotal: false }).nextCursor ?? undefined;
    const deep = timeQueries(store, () => ({ sort: 'title', order: 'asc', limit: 100, cursor }), N);
    const deepOffset = timeQueries(store, () => ({ sort: 'title', order: 'asc', limit: 100, offset: 50_000, withTotal: false }), 50);
    // Totals are cached until the next write; this is the cost of a first (uncached) count of a filter.
    const coldCount: number[] = [];
    for (let i = 0; i < 60; i++) {
      db.prepare('UPDATE videos SET rating = rating WHERE id = 1').run(); // a write: every cached total is stale
      const t0 = performance.now();
      store.search({ tiers: [TIERS[i % 3]!], minHeight: 720, minRating: i % 4, sort: sorts[i % sorts.length]!, order: 'desc', limit: 100 });
      coldCount.push(performance.now() - t0);
    }
    details.filteredSortedAfterAWrite = { p50: round(percentile(coldCount, 50)), p95: round(percentile(coldCount, 95)), note: 'page + uncounted total (cache invalidated by a write before each query)' };
    // The same pages scrolled/re-sorted again: the total is cached until the next write, as a UI uses it.
    const filteredWarm = timeQueries(store, (i) => ({ tiers: [TIERS[i % 3]!], minHeight: 720, minRating: i % 4, sort: sorts[i % sorts.length]!, order: i % 2 ? 'asc' : 'desc', limit: 100 }), N);
    details.search = { rows: ROWS, filteredSortedSecondPass: filteredWarm, queries: N, textRelevance: text, textOneLetterRelevance: textOneLetter, textPrefixByDate: textByDate, filteredSorted: filtered, tagAndCodecFiltered: tagFiltered, keysetPageAtRow50k: deep, offsetPageAtRow50k: deepOffset, unit: 'ms (each includes the total count)' };
    targets.push({ name: 'text search p95 at 100k items (FTS5, relevance, page of 100 + total)', value: text.p95, unit: 'ms', target: '< 10', met: text.p95 < 10 });
    targets.push({ name: 'filtered, sorted page of 100 p95 at 100k items (tier + height + rating, 6 sort keys, + total)', value: filtered.p95, unit: 'ms', target: '< 10', met: filtered.p95 < 10 });
    db.close();

    // ---- poster cost vs position (input seeking)
    const long = join(dir, 'twenty-minutes.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1200', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-pix_fmt', 'yuv420p', long], 600_000);
    const bin = resolveBinary('ffmpeg').path!;
    const posterMs = async (at: number) => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await runProcess(bin, buildPosterArgs({ input: long, output: join(dir, `poster-${at}.jpg`), seekSec: at }), { timeoutMs: 60_000 });
        if (r.code !== 0) throw new Error(r.stderr);
        ms.push(r.durationMs);
      }
      return median(ms);
    };
    const early = await posterMs(12);
    const late = await posterMs(1080);
    details.poster = { videoSeconds: 1200, at1PercentMs: round(early, 1), at90PercentMs: round(late, 1) };
    targets.push({ name: 'poster at 90% / at 1% of a 20-minute video (input seeking)', value: round(late / early, 2), unit: 'ratio', target: '<= 1.5', met: late / early <= 1.5 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  details.loadAverageAtEnd = loadavg().map((l) => round(l, 1));
  writeBenchResult('library', { targets, details });
}
