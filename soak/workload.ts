import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestInput } from '../shared/contract';
import type { Job } from '../shared/dto/jobs';
import { makeClip } from '../tests/helpers/media';
import { addCustomer, addSubscription, seedShop } from '../tests/helpers/stripeShop';
import type { FakeObject } from '../tests/helpers/fakeStripe';
import type { Cluster } from './cluster';
import type { JobMode, Ledger, Rng } from './ledger';

/** Encodes kept cheap for a busy two-core machine: ultrafast, never a remux (so ffmpeg really runs). */
export const FAST = { remuxWhenCompliant: false, x264Preset: 'ultrafast' } as const;
/** At most this many unfinished jobs: the queue is meant to be busy, not to grow without end. */
const MAX_ACTIVE_JOBS = 4;
const ACTIVE = new Set(['queued', 'running', 'paused', 'interrupted']);

type Action = 'import' | 'curate' | 'lab' | 'chunked' | 'local' | 'backup' | 'stripe';
const WEIGHTS: Record<Action, number> = { import: 3, curate: 3, lab: 3, chunked: 2, local: 2, backup: 1, stripe: 1 };

/**
 * The stream of work the studio goes through while faults land: every step picks an action from the seed, makes
 * one contract call (or a few) and writes down in the ledger what it asked for and whether it was acknowledged.
 * A call that fails because the studio is down is counted, never retried here: the end of the run settles it.
 */
export class Workload {
  private clipNo = 0;
  readonly ids = new Map<string, number>();
  private prices: FakeObject[] = [];
  readonly subscriptions: FakeObject[] = [];

  constructor(private readonly cluster: Cluster, private readonly rng: Rng, private readonly ledger: Ledger, readonly mediaDir: string) {
    mkdirSync(mediaDir, { recursive: true });
  }

  /** The shop the Stripe sync starts from (silent: no events), and the first few clips. */
  async seed(): Promise<void> {
    this.prices = seedShop(this.cluster.stripe, { customers: 12 }).prices;
    for (const s of this.cluster.stripe.objects.get('subscription')!.values()) this.subscriptions.push(s);
    for (let i = 0; i < 3; i++) await this.importClip();
    await this.cluster.client.call('backup.setSettings', { keep: 365, enabled: false });
    await this.cluster.client.call('stripe.setSettings', { maxRequestsPerSecond: 100 });
  }

  async step(): Promise<void> {
    const action = this.rng.weighted(WEIGHTS);
    this.ledger.did(action);
    switch (action) {
      case 'import':
        return this.importClip();
      case 'curate':
        return this.curate();
      case 'lab':
      case 'chunked':
      case 'local':
        return this.enqueue(action);
      case 'backup':
        return this.backup();
      case 'stripe':
        return this.stripeChange();
    }
  }

  /** Runs a call; a failure while a fault is in the air is counted and returns null. */
  private async attempt<T>(name: string, f: () => Promise<T>): Promise<T | null> {
    try {
      return await f();
    } catch {
      this.ledger.lost(name);
      return null;
    }
  }

  async importClip(): Promise<void> {
    const n = ++this.clipNo;
    const seconds = this.rng.int(2, 4);
    const path = join(this.mediaDir, `clip-${String(n).padStart(4, '0')}.avi`);
    // mpeg4 in AVI: never web-ready, so a web job always encodes. The title makes every clip's bytes its own.
    await makeClip(path, { seconds, vcodec: 'mpeg4', audio: n % 2 === 0, extra: ['-metadata', `title=soak clip ${n} seed ${this.rng.seed}`] });
    this.ledger.clips.set(path, { acked: false, seconds });
    await this.importPaths([path]);
  }

  async importPaths(paths: string[]): Promise<void> {
    const r = await this.attempt('library.import', () => this.cluster.client.call('library.import', { paths, assets: false }));
    if (!r) return;
    for (const p of paths) this.ledger.clips.get(p)!.acked = true;
    await this.refreshIds();
  }

  async refreshIds(): Promise<void> {
    const page = await this.attempt('library.search', () => this.cluster.client.call('library.search', { limit: 500 }));
    for (const v of page?.items ?? []) this.ids.set(join(this.mediaDir, v.fileName), v.id);
  }

  private knownClip(minSeconds = 0): { path: string; id: number } | null {
    const known = [...this.ledger.clips].filter(([p, c]) => c.acked && c.seconds >= minSeconds && this.ids.has(p)).map(([p]) => p);
    if (!known.length) return null;
    const path = this.rng.pick(known);
    return { path, id: this.ids.get(path)! };
  }

  private async curate(): Promise<void> {
    const clip = this.knownClip();
    if (!clip) return;
    const want = { rating: this.rng.int(0, 5), tags: [this.rng.pick(['trance', 'evening', 'loop', 'deep'])], notes: `note ${this.rng.int(1, 1_000_000)}` };
    this.ledger.curation.set(clip.path, { ...want, acked: false });
    await this.sendCuration(clip.path);
  }

  async sendCuration(path: string): Promise<void> {
    const c = this.ledger.curation.get(path)!;
    const id = this.ids.get(path);
    if (id === undefined) return;
    const r = await this.attempt('library.update', () => this.cluster.client.call('library.update', { id, patch: { rating: c.rating, tags: c.tags, notes: c.notes } }));
    if (r) c.acked = true;
  }

  private async activeJobs(): Promise<number | null> {
    const list = await this.attempt('jobs.list', () => this.cluster.client.call('jobs.list', { limit: 1000 }));
    return list ? list.jobs.filter((j) => ACTIVE.has(j.status)).length : null;
  }

  private async enqueue(mode: Exclude<JobMode, 'smalldisk'>): Promise<void> {
    const active = await this.activeJobs();
    if (active === null || active >= MAX_ACTIVE_JOBS) return;
    // Chunked: 2 s chunks need a source over 3 s (1.5 chunks) to be cut at all.
    const clip = this.knownClip(mode === 'chunked' ? 4 : 0);
    if (!clip) return;
    const input: RequestInput<'jobs.enqueue'> =
      mode === 'local'
        ? { videoId: clip.id, preset: 'concat', extraVideoIds: [clip.id], params: { copyWhenPossible: false, x264Preset: 'ultrafast' } }
        : { videoId: clip.id, preset: 'web', params: { ...FAST, chunkSeconds: mode === 'chunked' ? 2 : 0 } };
    await this.enqueueJob(mode, input);
  }

  async enqueueJob(mode: JobMode, input: RequestInput<'jobs.enqueue'>): Promise<Job | null> {
    const job = await this.attempt('jobs.enqueue', () => this.cluster.client.call('jobs.enqueue', input));
    if (!job) {
      this.ledger.lostEnqueues++;
      return null;
    }
    this.ledger.jobs.set(job.id, { mode, videoId: input.videoId });
    return job;
  }

  async backup(): Promise<void> {
    const r = await this.attempt('backup.run', () => this.cluster.client.call('backup.run', { restic: false }));
    if (!r) return;
    if (r.ok && r.snapshot) this.ledger.backups.push(r.snapshot.id);
    else this.ledger.backupFailures.push(r.error ?? 'no snapshot and no reason');
  }

  /** Something happens in the shop (a new subscriber, or one changes status), then the studio syncs. */
  private async stripeChange(): Promise<void> {
    const fake = this.cluster.stripe;
    if (this.rng.next() < 0.5 || !this.subscriptions.length) {
      const n = fake.objects.get('customer')!.size;
      const c = addCustomer(fake, `Soak subscriber ${n}`, `soak${n}@example.test`);
      this.subscriptions.push(addSubscription(fake, { customer: c, items: [{ price: this.rng.pick(this.prices) }] }));
    } else {
      const s = this.rng.pick(this.subscriptions);
      fake.update('subscription', s.id, { status: this.rng.pick(['active', 'past_due', 'canceled']) });
    }
    await this.sync();
  }

  async sync(): Promise<boolean> {
    const r = await this.attempt('stripe.sync', () => this.cluster.client.call('stripe.sync', { full: false }));
    if (r?.ok) this.ledger.syncs.ok++;
    else this.ledger.syncs.failed++;
    return r?.ok ?? false;
  }
}
