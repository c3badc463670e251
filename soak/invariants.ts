import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Job } from '../shared/dto/jobs';
import { resolveBinary } from '../electron/platform/media';
import { runProcess } from '../electron/platform/process';
import { ffmpegsUnder, type Cluster } from './cluster';
import type { Observation } from './faults';
import type { InvariantResult, Ledger } from './ledger';
import type { Workload } from './workload';


const sha = (lines: string[]) => createHash('sha256').update([...lines].sort().join('\n')).digest('hex').slice(0, 16);
const result = (name: string, checked: string, breaks: string[]): InvariantResult => ({ name, held: breaks.length === 0, checked, breaks });

/** Playable: ffprobe reads a video stream and a duration from it. */
async function playable(path: string): Promise<string | null> {
  const ffprobe = resolveBinary('ffprobe').path!;
  const r = await runProcess(ffprobe, ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', path], { timeoutMs: 30_000 });
  if (r.code !== 0) return `ffprobe failed: ${r.stderr.trim().slice(0, 200)}`;
  const p = JSON.parse(r.stdout) as { format?: { duration?: string }; streams?: { codec_type: string }[] };
  if (!p.streams?.some((s) => s.codec_type === 'video')) return 'no video stream';
  if (!(Number(p.format?.duration) > 0.5)) return `duration ${p.format?.duration ?? 'unknown'}`;
  return null;
}

/** Every job queued ended done exactly once (one registered, playable output) or failed/cancelled with a reason. */
export async function checkJobs(cluster: Cluster, ledger: Ledger, jobs: Job[]): Promise<InvariantResult> {
  const breaks: string[] = [];
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const id of ledger.jobs.keys()) if (!byId.has(id)) breaks.push(`job ${id} was queued (acknowledged) but the studio no longer lists it`);
  const outputsSeen = new Map<string, number>();
  const counts: Record<string, number> = {};
  for (const j of jobs) {
    counts[j.status] = (counts[j.status] ?? 0) + 1;
    if (j.status === 'failed' || j.status === 'cancelled') {
      if (!j.error?.trim()) breaks.push(`job ${j.id} ${j.status} without a reason`);
      // Its disk was full only for a few seconds (nothing else touches it): once space is back it must finish.
      else if (ledger.jobs.get(j.id)?.mode === 'smalldisk') breaks.push(`job ${j.id} was held for space, the space came back, yet it ${j.status}: ${j.error}`);
      continue;
    }
    if (j.status !== 'done') {
      breaks.push(`job ${j.id} stuck ${j.status}${j.waiting ? ` (waiting: ${JSON.stringify(j.waiting)})` : ''}${j.error ? `: ${j.error}` : ''}`);
      continue;
    }
    const detail = await cluster.client.call('library.get', { id: j.videoId! });
    const outs = detail.outputs.filter((o) => o.jobId === j.id);
    if (outs.length !== 1 || j.outputIds.length !== 1) breaks.push(`job ${j.id} done with ${outs.length} registered output(s) (job says ${j.outputIds.length})`);
    for (const o of outs) {
      if (outputsSeen.has(o.path)) breaks.push(`job ${j.id} and job ${outputsSeen.get(o.path)} registered the same file ${o.path}`);
      outputsSeen.set(o.path, j.id);
      if (!existsSync(o.path)) breaks.push(`job ${j.id}: output ${o.path} is registered but missing`);
      else if (statSync(o.path).size !== o.sizeBytes) breaks.push(`job ${j.id}: output ${o.path} is ${statSync(o.path).size} bytes, registered as ${o.sizeBytes}`);
      else {
        const bad = await playable(o.path);
        if (bad) breaks.push(`job ${j.id}: output ${o.path} does not play: ${bad}`);
      }
    }
  }
  const modes: Record<string, number> = {};
  for (const { mode } of ledger.jobs.values()) modes[mode] = (modes[mode] ?? 0) + 1;
  const checked = `${jobs.length} jobs (${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}); queued by the harness: ${Object.entries(modes).map(([m, n]) => `${n} ${m}`).join(', ')}; ${ledger.lostEnqueues} enqueue(s) unanswered`;
  return result('every job ends done exactly once, or failed/cancelled with a reason', checked, breaks);
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) walk(p, out);
  }
  return out;
}

/** Finished units a chunked job's work folder lists in its chunks.json (0 when it has none or cannot be read). */
function finishedUnits(workDir: string): number {
  try {
    const m = JSON.parse(readFileSync(join(workDir, 'chunks.json'), 'utf8')) as { done?: Record<string, unknown> };
    return Object.keys(m.done ?? {}).length;
  } catch {
    return 0;
  }
}

/** Nothing half-written, no ffmpeg left, no work folder left once every job has ended (but a failed job's finished chunks). */
export function checkLeftovers(cluster: Cluster, jobs: Job[], observations: Observation[], smallDisk: string | null): InvariantResult {
  const breaks: string[] = [];
  const all = walk(cluster.dir).filter((p) => !p.includes('/backups/') && !p.includes('/restore-'));
  for (const p of all) if (/^\.church-tmp-|^\.part-/.test(basename(p))) breaks.push(`temp file left: ${p}`);
  const registered = new Set(jobs.filter((j) => j.status === 'done').map((j) => j.outputPath));
  const outputRoots = [join(cluster.studioDir, 'outputs'), ...(smallDisk ? [join(smallDisk, 'out')] : [])];
  for (const root of outputRoots) for (const p of walk(root)) if (statSync(p).isFile() && !registered.has(p)) breaks.push(`file in an output folder that no done job registered: ${p}`);
  for (const p of ffmpegsUnder(cluster.dir)) breaks.push(`ffmpeg ${p.pid} still running (parent ${p.ppid}): ${p.cmdline.slice(0, 160)}`);
  const workDirs = [join(cluster.studioDir, 'jobs-work'), ...cluster.agentNames.map((n) => join(cluster.agentDir(n), 'lab-work'))];
  // A failed chunked job keeps its folder when it holds finished chunks (a retry resumes from them): not a leak.
  const keptForRetry = (e: string) => jobs.some((j) => String(j.id) === e && j.status === 'failed') && finishedUnits(join(cluster.studioDir, 'jobs-work', e)) > 0;
  for (const w of workDirs) for (const e of existsSync(w) ? readdirSync(w) : []) if (!(w.endsWith('jobs-work') && keptForRetry(e))) breaks.push(`work folder left: ${join(w, e)}`);
  for (const o of observations.filter((x) => x.invariant === 'orphan-ffmpeg')) breaks.push(o.detail);
  return result('no temp or half-written file, no orphan ffmpeg, no leaked work folder', `${all.length} paths, ${workDirs.length} work folders, the process table`, breaks);
}

/**
 * The library and curation equal the harness's ledger. Writes whose answer was lost are sent again first (every
 * one is idempotent), so the expected state is exact.
 */
export async function checkLibrary(cluster: Cluster, ledger: Ledger, workload: Workload): Promise<InvariantResult> {
  const unacked = [...ledger.clips].filter(([, c]) => !c.acked).map(([p]) => p);
  if (unacked.length) await workload.importPaths(unacked);
  await workload.refreshIds();
  for (const [path, c] of ledger.curation) if (!c.acked) await workload.sendCuration(path);
  const breaks: string[] = [];
  const page = await cluster.client.call('library.search', { limit: 500 });
  const found = new Map(page.items.map((v) => [v.fileName, v]));
  const expected = [...ledger.clips.keys()].map((p) => basename(p));
  for (const name of expected) if (!found.has(name)) breaks.push(`clip ${name} was imported but is not in the library`);
  for (const name of found.keys()) if (!expected.includes(name)) breaks.push(`the library holds ${name}, which the harness never imported`);
  if (page.total !== expected.length) breaks.push(`library total ${page.total}, expected ${expected.length}`);
  const want: string[] = [];
  const have: string[] = [];
  for (const [path, c] of ledger.curation) {
    const v = found.get(basename(path));
    if (!v) continue;
    const d = await cluster.client.call('library.get', { id: v.id });
    const line = (x: { rating: number; tags: string[]; notes: string }) => `${basename(path)}|${x.rating}|${[...x.tags].sort().join(',')}|${x.notes}`;
    want.push(line(c));
    have.push(line(d));
    if (line(c) !== line(d)) breaks.push(`curation of ${basename(path)}: expected ${line(c)}, found ${line(d)}`);
  }
  return result('library and curation equal what the harness wrote', `${expected.length} clips, ${want.length} curated; checksum expected ${sha(want)}, found ${sha(have)}`, breaks);
}

/** The subscriber copy equals the stand-in Stripe's state after a last sync. */
export async function checkSubscribers(cluster: Cluster, workload: Workload): Promise<InvariantResult> {
  const breaks: string[] = [];
  if (!(await workload.sync())) breaks.push('the final Stripe sync did not succeed');
  const fake = cluster.stripe;
  const customers = fake.objects.get('customer')!;
  const want = [...fake.objects.get('subscription')!.values()].map((s) => `${s.id}|${String(s.customer)}|${String(customers.get(String(s.customer))?.email ?? '')}|${String(s.status)}`);
  const page = await cluster.client.call('stripe.subscribers', { limit: 100_000 });
  const have = page.rows.map((r) => `${r.subscriptionId}|${r.customerId}|${r.email ?? ''}|${r.status}`);
  const haveSet = new Set(have);
  const wantSet = new Set(want);
  for (const w of want) if (!haveSet.has(w)) breaks.push(`subscription missing or different in the copy: ${w}`);
  for (const h of have) if (!wantSet.has(h)) breaks.push(`the copy holds ${h}, which Stripe does not`);
  return result('the subscriber copy equals Stripe', `${want.length} subscriptions in Stripe, ${have.length} in the copy; checksum expected ${sha(want)}, found ${sha(have)}`, breaks.slice(0, 20));
}
