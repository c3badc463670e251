import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../electron/platform/db';
import { LibraryStore } from '../electron/domains/library';
import { buildPosterArgs, resolveBinary } from '../electron/platform/media';
import { runProcess } from '../electron/platform/process';
import { cachedLibrary, seedLibrary as seedRows } from './librarySeed';
import { searchFigures, type QueryFigures } from './librarySearch';
import { rounds } from './measure';
import { writeBenchResult, type BenchTarget } from './write-result';

export const ROWS = rounds(100_000, 10_000);
/** The large library: generated once and cached under the temp folder (bench/librarySeed.ts). */
const BIG_ROWS = rounds(1_000_000, 20_000);
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
export async function makeClipFolder(dir: string): Promise<string[]> {
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

/** A synthetic library (100k items by default) written straight into the schema; the CLI and backup benches use it. */
export function seedLibrary(db: Db, rows = ROWS): void {
  seedRows(db, rows);
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
    await importRate(dir, files, true); // warm-up: the first import also compiles the importer's code
    for (let i = 0; i < 5; i++) headerRates.push(await importRate(dir, files, true));
    const ffprobeModeRate = await importRate(dir, files, false);
    const importRateMedian = median(headerRates);
    details.import = { files: files.length, parallel, ffprobeAloneFilesPerSec: round(ffprobeRate, 1), importFilesPerSec: headerRates.map((r) => round(r, 1)), importWithFfprobeForEveryFileFilesPerSec: round(ffprobeModeRate, 1), ffprobe: resolveBinary('ffprobe').path };
    targets.push({ name: `import throughput (${files.length} clips, header reader + ffprobe fallback, ${parallel} parallel)`, value: round(importRateMedian, 1), unit: 'files/s', target: '>= 1500', met: importRateMedian >= 1500 });
    targets.push({ name: 'import throughput / ffprobe alone on the same files, same parallelism', value: round(importRateMedian / ffprobeRate, 2), unit: 'ratio', target: '>= 0.9', met: importRateMedian / ffprobeRate >= 0.9 });
    details.import = { ...(details.import as object), ffprobeForEveryFileRatioToFfprobeAlone: round(ffprobeModeRate / ffprobeRate, 2) };

    // ---- search and list at 100k and 1,000,000 rows (files built once, kept under the temp folder)
    const t0 = performance.now();
    const small = cachedLibrary(ROWS);
    const big = cachedLibrary(BIG_ROWS);
    details.seedOrCacheSeconds = round((performance.now() - t0) / 1000, 1);
    const at100k = searchFigures(small, 300, true);
    const at1m = searchFigures(big, 200, false);
    details.search = { rows: ROWS, ...at100k };
    details.searchLarge = { rows: BIG_ROWS, ...at1m };
    const p95 = (f: Record<string, unknown>, k: string) => (f[k] as QueryFigures).p95;
    targets.push({ name: 'text search p95 at 100k items (FTS5, relevance, page of 100 + total)', value: p95(at100k, 'textRelevance'), unit: 'ms', target: '< 5', met: p95(at100k, 'textRelevance') < 5 });
    targets.push({ name: 'filtered, sorted page of 100 p95 at 100k items (tier + height + rating, 6 sort keys, + total)', value: p95(at100k, 'filteredSorted'), unit: 'ms', target: '< 5', met: p95(at100k, 'filteredSorted') < 5 });
    targets.push({ name: 'text search p95 at 1,000,000 items (FTS5, relevance, page of 100 + total)', value: p95(at1m, 'textRelevance'), unit: 'ms', target: '< 20', met: p95(at1m, 'textRelevance') < 20 });
    targets.push({ name: 'filtered, sorted page of 100 p95 at 1,000,000 items (tier + height + rating, 6 sort keys, + total)', value: p95(at1m, 'filteredSorted'), unit: 'ms', target: '< 20', met: p95(at1m, 'filteredSorted') < 20 });

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
