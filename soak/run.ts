// `npm run soak [-- --minutes N] [-- --seed S] [-- --keep]`: the fault-injection soak (docs/soak.md). A studio
// (`church serve`), a redis-server, two lab agents and the stand-in Stripe server work through a seeded stream of
// imports, curation, local, chunked and lab transcodes, backups and syncs while faults land; then the invariants
// are checked, printed as a table and written to bench/results/soak.json. Exit 1 when one broke, 2 on bad usage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Job } from '../shared/dto/jobs';
import { checkBackups } from './backups';
import { Cluster } from './cluster';
import { FAULT_KINDS, FaultInjector, mountSmallDisk, unmountSmallDisk } from './faults';
import { checkJobs, checkLeftovers, checkLibrary, checkSubscribers } from './invariants';
import { Ledger, Rng, type InvariantResult } from './ledger';
import { faultsByKind, load, machine, printTable, workloadSummary, writeSummary, type SoakSummary } from './report';
import { Workload } from './workload';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ACTIVE = new Set(['queued', 'running', 'paused', 'interrupted']);
/** How long the queue may take to empty after the last fault before a job counts as stuck. */
const DRAIN_MS = 5 * 60_000;

function options(): { minutes: number; seed: number; keep: boolean; smallDiskMb: number } {
  try {
    const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string' }, keep: { type: 'boolean', default: false }, 'small-disk-mb': { type: 'string', default: '24' } }, strict: true });
    const minutes = Number(values.minutes);
    const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
    const smallDiskMb = Number(values['small-disk-mb']);
    if (!(minutes > 0 && minutes <= 600) || !Number.isInteger(seed) || seed < 0) throw new Error('--minutes takes a number of minutes (up to 600), --seed a whole number');
    if (!Number.isInteger(smallDiskMb) || smallDiskMb < 17 || smallDiskMb > 1024) throw new Error('--small-disk-mb takes a whole number of MB from 17 to 1024');
    return { minutes, seed, keep: values.keep ?? false, smallDiskMb };
  } catch (e) {
    console.error(`soak: ${e instanceof Error ? e.message : String(e)} (usage: npm run soak -- [--minutes N] [--seed S] [--keep] [--small-disk-mb MB])`);
    process.exit(2);
  }
}

async function loop(until: number, body: () => Promise<void>, gap: () => number): Promise<void> {
  while (Date.now() < until) {
    await body();
    await pause(Math.min(gap(), Math.max(0, until - Date.now())));
  }
}

/** Waits for every job to end (done, failed or cancelled); returns the list either way. */
async function drain(cluster: Cluster): Promise<Job[]> {
  const until = Date.now() + DRAIN_MS;
  for (;;) {
    const jobs = (await cluster.client.call('jobs.list', { limit: 1000 })).jobs;
    if (!jobs.some((j) => ACTIVE.has(j.status)) || Date.now() > until) return jobs;
    await pause(1000);
  }
}

async function main(): Promise<number> {
  const opt = options();
  const replay = `npm run soak -- --minutes ${opt.minutes} --seed ${opt.seed}${opt.smallDiskMb === 24 ? '' : ` --small-disk-mb ${opt.smallDiskMb}`}`;
  console.log(`soak: seed ${opt.seed}, ${opt.minutes} min of faults (replay: ${replay})`);
  const before = load();
  const startedAt = new Date();
  const dir = mkdtempSync(join(tmpdir(), 'church-soak-'));
  const disk = mountSmallDisk(dir, opt.smallDiskMb);
  console.log(`soak: working in ${dir}; small disk: ${disk.why}`);
  const cluster = new Cluster(dir, ['alpha', 'beta']);
  const ledger = new Ledger();
  // Three sequences from one seed (actions, faults, pauses between actions), each replayed in its own order.
  const faultRng = new Rng(opt.seed ^ 0x5eed);
  const gapRng = new Rng(opt.seed ^ 0x9a9);
  let held = false;
  // Ctrl-C or a kill of the run still stops what it started and unmounts the small disk.
  const interrupted = async (signal: NodeJS.Signals) => {
    console.error(`soak: ${signal}: stopping the studio, agents and redis-server; nothing was checked`);
    await cluster.stop();
    unmountSmallDisk(disk.path);
    process.exit(1);
  };
  process.once('SIGINT', (s) => void interrupted(s));
  process.once('SIGTERM', (s) => void interrupted(s));
  try {
    await cluster.start();
    const workload = new Workload(cluster, new Rng(opt.seed), ledger, join(dir, 'media'));
    await workload.seed();
    const t0 = Date.now();
    const until = t0 + opt.minutes * 60_000;
    const faults = new FaultInjector(cluster, faultRng, workload, disk.path, t0);
    const work = loop(until, () => workload.step().catch((e: unknown) => ledger.lost(`step: ${String(e).slice(0, 80)}`)), () => gapRng.int(300, 1500));
    const inject = loop(
      until,
      async () => {
        await pause(faultRng.int(8000, 20_000));
        if (Date.now() >= until) return;
        const r = await faults.inject(faultRng.pick(FAULT_KINDS));
        console.log(`soak: +${r.at}s ${r.kind}: ${r.skipped ? `skipped (${r.skipped})` : r.detail}${r.error ? ` — DID NOT RECOVER: ${r.error}` : ''}`);
      },
      () => 0,
    );
    await Promise.all([work, inject]);
    const workEnd = Date.now();
    console.log('soak: faults over; waiting for the queue to empty');
    const jobs = await drain(cluster);
    await faults.settle();
    const drainEnd = Date.now();
    const invariants: InvariantResult[] = [
      await checkJobs(cluster, ledger, jobs),
      checkLeftovers(cluster, jobs, faults.observations, disk.path),
      await checkLibrary(cluster, ledger, workload),
      await checkSubscribers(cluster, workload),
      await checkBackups(cluster, ledger, workload),
      {
        name: 'every fault recovered; a job held for space says so',
        checked: `${faults.records.length} faults`,
        breaks: faults.observations.filter((o) => o.invariant !== 'orphan-ffmpeg').map((o) => o.detail),
        held: false,
      },
    ];
    invariants[invariants.length - 1]!.held = invariants[invariants.length - 1]!.breaks.length === 0;
    held = invariants.every((i) => i.held);
    const summary: SoakSummary = {
      seed: opt.seed,
      minutes: opt.minutes,
      replay,
      startedAt: startedAt.toISOString(),
      durationSec: { workload: Math.round((workEnd - t0) / 1000), drain: Math.round((drainEnd - workEnd) / 1000), total: Math.round((Date.now() - startedAt.getTime()) / 1000) },
      machine: machine(),
      loadAverage: { before, after: load() },
      smallDisk: disk.why,
      faults: { byKind: faultsByKind(faults.records), list: faults.records },
      workload: workloadSummary(ledger),
      invariants,
      held,
    };
    printTable(summary);
    console.log(`soak: summary in ${writeSummary(summary)}`);
  } finally {
    await cluster.stop();
    unmountSmallDisk(disk.path);
    if (opt.keep || !held) console.log(`soak: left ${dir} for inspection`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return held ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('soak: the run itself failed:', e);
    process.exit(1);
  },
);
