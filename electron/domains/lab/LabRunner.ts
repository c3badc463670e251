import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { hostname } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PresetKind } from '../../../shared/dto/jobs';
import type { RemoteExecutor, RunOutcome, RunPort, RunRequest, UnitRunner } from '../jobs';
import { labChunkRunner } from './labChunkRunner';
import { labAccepts, runOnLab } from './labExecutor';
import { failedEnd, stoppedEnd, type LabHandle, type LabRunEnd, type LabRunRequest, type LabStarter } from './labRun';
import type { LabConfig } from './config';
import { hardwareEncoderOf, softwareFallbackArgs } from './fallback';
import { studioKeys, type StudioKeys } from './identity';
import { keepKillLineOpen } from './labKill';
import { checkLabResult, openProgress } from './labResult';
import { readAgents, type AgentView } from './labStatus';
import { CONTROL_CHANNEL, ENCODE_QUEUE, SECRET_CHECK_KEY, cancelledKey, encoderQueue } from './names';
import { OUTPUT_TOKEN, SOURCE_TOKEN, readFailure, type AgentAnnouncement, type ControlBody, type LabJobBody } from './protocol';
import { connectRedis } from './redis';
import { labTlsOptions } from './labCa';
import { sealPayload } from './sealing';
import { signMessage } from './signing';
import { TransferServer } from './transferServer';
import { labTrace } from './trace';
import { labJobTimeoutMs, uploadCapBytes } from './limits';

/** The sources' total size, for the upload cap of a unit whose output the engine did not estimate. */
function sourceBytes(paths: readonly string[]): number {
  return paths.reduce((n, p) => {
    try {
      return n + statSync(p).size;
    } catch {
      return n;
    }
  }, 0);
}

export interface LabRunnerOptions {
  lab: LabConfig;
  /** Where agents fetch sources and upload outputs: bind address, port, the name they reach this host by. */
  transfer?: { bindHost?: string; port?: number; advertiseHost?: string };
  /** How often the runner checks each job in Redis (a flushed or restarted Redis is noticed this fast). */
  watchMs?: number;
  /** An agent whose heartbeat is older than this is offline (its slots no longer count, a "host offline" alert). */
  agentStaleMs?: number;
  /** Called once when an agent that was online stops reporting (and again after it came back and left again). */
  onHostOffline?(name: string, lastSeen: string): void;
  logError?: (msg: string, e: unknown) => void;
}

interface RemoteRun {
  bullId: string;
  queueName: string;
  /** Signed afresh at every enqueue (a new nonce), so an agent's "used once" record never refuses the studio's own re-send. */
  body: LabJobBody;
  encoder: string | null;
  req: LabRunRequest;
  outputTicket: string;
  sourceTickets: string[];
  host: string | null;
  settled: boolean;
  /** Its result is being checked (the events and the watcher can both report the completion). */
  checking: boolean;
  cancelled: boolean;
  resolve(end: LabRunEnd): void;
}

/**
 * The studio's side of the lab: a job the engine starts goes to BullMQ (the queue of its hardware encoder, or the
 * common one), its progress and end come back through BullMQ's events, and a watcher re-reads each job from
 * Redis so that a missed event, a Redis restart or a flush never loses it (SQLite knows the job; it is put back).
 * It is the lab's job executor: registered with the job engine, it takes the jobs it accepts and chunked jobs' units.
 */
export class LabRunner implements RemoteExecutor, LabStarter {
  readonly name = 'lab';
  private readonly conn: Redis;
  private readonly publisher: Redis;
  private readonly queues = new Map<string, { queue: Queue; events: QueueEvents }>();
  private readonly runs = new Map<string, RemoteRun>();
  private readonly transfer: TransferServer;
  private agents: AgentAnnouncement[] = [];
  /** The last view of each agent: to alert on the change to offline only, and to refuse an untrusted one's output. */
  private readonly lastViews = new Map<string, AgentView>();
  private readonly keys: StudioKeys;
  private watchTimer: NodeJS.Timeout | null = null;
  private releaseKillLine: (() => void) | null = null;
  private closed = false;

  private constructor(private readonly opts: LabRunnerOptions) {
    this.keys = studioKeys(opts.lab.secret);
    this.conn = connectRedis(opts.lab.url, 'church-studio');
    this.publisher = connectRedis(opts.lab.url, 'church-studio-control');
    this.transfer = new TransferServer({
      secret: opts.lab.secret,
      bindHost: opts.transfer?.bindHost ?? '0.0.0.0',
      port: opts.transfer?.port ?? 0,
      advertiseHost: opts.transfer?.advertiseHost ?? hostname(),
    });
  }

  static async open(opts: LabRunnerOptions): Promise<LabRunner> {
    const r = new LabRunner(opts);
    try {
      await r.transfer.listen();
      await r.conn.set(SECRET_CHECK_KEY, r.keys.id);
      await r.refreshAgents();
      // Ready before the first job: a queue made on first use would cost that job its connect, and its events
      // reader, not yet listening, would miss the agent's first report.
      const common = r.queue(ENCODE_QUEUE);
      await Promise.all([common.queue.waitUntilReady(), common.events.waitUntilReady()]);
      r.releaseKillLine = keepKillLineOpen(opts.lab);
    } catch (e) {
      await r.close();
      throw e;
    }
    r.watchTimer = setInterval(() => void r.watch(), opts.watchMs ?? 1000);
    r.watchTimer.unref();
    return r;
  }

  accepts(req: RunRequest): boolean {
    return labAccepts(req);
  }

  run(req: RunRequest, port: RunPort): Promise<RunOutcome> {
    return runOnLab(this, req, port);
  }

  capacity(): number | null {
    return this.agents.filter((a) => !a.paused).reduce((n, a) => n + a.concurrency, 0);
  }

  unitRunner(kind: PresetKind, local: UnitRunner): UnitRunner {
    return labChunkRunner(this, kind, local);
  }

  onlineAgents(): AgentAnnouncement[] {
    return this.agents;
  }

  private queue(name: string): { queue: Queue; events: QueueEvents } {
    let q = this.queues.get(name);
    if (q) return q;
    const queue = new Queue(name, { connection: this.conn });
    queue.on('error', (e) => this.opts.logError?.(`lab queue ${name}`, e));
    const events = new QueueEvents(name, { connection: { url: this.opts.lab.url, ...labTlsOptions(this.opts.lab.url) } });
    events.on('error', () => undefined);
    events.on('progress', ({ jobId, data }) => this.onProgress(jobId, data as unknown));
    events.on('completed', ({ jobId, returnvalue }) => void this.onCompleted(jobId, returnvalue as unknown));
    events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    q = { queue, events };
    this.queues.set(name, q);
    return q;
  }

  start(req: LabRunRequest): LabHandle {
    // Unique per run: a job held for space runs again under the same attempt, and must not meet its earlier
    // (failed) BullMQ job, whose old end the watcher would read as this run's.
    const bullId = `studio-${req.jobId}-a${req.attempt}-${req.unit ?? `r${randomBytes(4).toString('hex')}`}`;
    labTrace('studio.start', { bullId });
    let resolve!: (e: LabRunEnd) => void;
    const done = new Promise<LabRunEnd>((r) => (resolve = r));
    // The envelope, the URLs and their tickets last as long as the job may take, not for days.
    const timeoutMs = labJobTimeoutMs(req.durationSec);
    const sourceTickets: string[] = [];
    const sources = req.sourcePaths.map((path) => {
      const s = this.transfer.sourceUrl(path, timeoutMs);
      sourceTickets.push(s.ticket);
      return { path, url: s.url };
    });
    const out = this.transfer.outputUrl(req.tempPath, { ttlMs: timeoutMs, maxBytes: req.maxOutputBytes ?? uploadCapBytes(null, sourceBytes(req.sourcePaths)) });
    const tokenize = (args: readonly string[]): string[] =>
      args.map((a) => {
        if (a === req.tempPath) return OUTPUT_TOKEN;
        const i = req.sourcePaths.findIndex((p) => a === p || a === `file:${p}`);
        return i >= 0 ? SOURCE_TOKEN(i) : a;
      });
    const args = tokenize(req.args);
    const encoder = hardwareEncoderOf(args);
    const body: LabJobBody = {
      bullId,
      expiresAt: Date.now() + timeoutMs,
      studioJobId: req.jobId,
      attempt: req.attempt,
      args,
      fallbackArgs: softwareFallbackArgs(args),
      encoder,
      sources,
      outputUrl: out.url,
      outExt: extname(req.tempPath),
      durationSec: req.durationSec,
    };
    const run: RemoteRun = {
      bullId,
      queueName: encoder ? encoderQueue(encoder) : ENCODE_QUEUE,
      body,
      encoder,
      req,
      outputTicket: out.ticket,
      sourceTickets,
      host: null,
      settled: false,
      checking: false,
      cancelled: false,
      resolve: (end) => {
        if (run.settled) return;
        run.settled = true;
        this.runs.delete(bullId);
        for (const t of [out.ticket, ...sourceTickets]) this.transfer.drop(t);
        resolve(end);
      },
    };
    this.runs.set(bullId, run);
    void this.enqueue(run).catch((e: unknown) => run.resolve(failedEnd(`the lab could not take the job: ${(e as Error).message}`)));
    return {
      pid: null,
      done,
      terminate: (graceMs) => void this.cancel(run, graceMs),
      suspend: () => this.control({ type: 'pause', bullId }),
      resume: () => this.control({ type: 'resume', bullId }),
    };
  }

  private async enqueue(run: RemoteRun): Promise<void> {
    // Signed by the studio and sealed for the lab's agents at every enqueue (a new nonce, so an agent's "used once"
    // record never refuses the studio's own re-send); Redis shows no transfer URL to whoever reads it.
    const data = sealPayload(this.keys.seal, run.bullId, signMessage(this.keys.signer, run.body));
    await this.queue(run.queueName).queue.add('encode', data, {
      jobId: run.bullId,
      // Retries are the studio's decision (it knows why a job failed); a stalled job is taken over by BullMQ.
      attempts: 1,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 3600 },
    });
    labTrace('studio.added', { bullId: run.bullId });
  }

  private control(body: ControlBody): boolean {
    void this.publisher.publish(CONTROL_CHANNEL, JSON.stringify(signMessage(this.keys.signer, body))).catch(() => undefined);
    return true;
  }

  /** Pause or resume one agent (the Lab view's switch): it finishes nothing new until resumed. */
  pauseAgent(agent: string, paused: boolean): void {
    this.control({ type: 'pause-agent', agent, paused });
  }

  private async cancel(run: RemoteRun, graceMs: number): Promise<void> {
    run.cancelled = true;
    // Marked first: an agent that takes it later (its taker was dead and restarts, or it stalls over to another)
    // refuses it, so a job the owner sees cancelled is never encoded after all. Kept as long as the job may live.
    await this.conn.set(cancelledKey(run.bullId), '1', 'PX', Math.max(60_000, run.body.expiresAt - Date.now())).catch(() => undefined);
    // Still waiting for an agent: take it out of the queue. Taken already: the agent stops its ffmpeg.
    try {
      const job = await this.queue(run.queueName).queue.getJob(run.bullId);
      if (job && (await job.getState()) !== 'active') {
        await job.remove();
        run.resolve(stoppedEnd('SIGTERM', 'cancelled before an agent took it'));
        return;
      }
    } catch {
      // locked by an agent meanwhile: fall through to the message
    }
    this.control({ type: 'cancel', bullId: run.bullId });
    // An agent that never answers (cut off) must not hold the job: after a generous wait it is given up.
    setTimeout(() => run.resolve(stoppedEnd('SIGKILL', 'the agent did not confirm the cancel')), Math.max(graceMs, 5000) + 5000).unref();
  }

  private onProgress(bullId: string, data: unknown): void {
    const run = this.runs.get(bullId);
    if (!run) return;
    // Only the agent's own signed word names the host (and the taker whose result alone is accepted).
    const p = openProgress(this.keys, bullId, data);
    if (!p) return;
    if (!run.host) labTrace('studio.firstReport', { bullId });
    run.host = p.host;
    run.req.onProgress({ outTimeSec: p.outTimeSec ?? null, fps: p.fps ?? null, speed: p.speed ?? null, frame: null, end: p.end === true }, p.host);
  }

  private async onCompleted(bullId: string, value: unknown): Promise<void> {
    const run = this.runs.get(bullId);
    if (!run || run.checking) return;
    run.checking = true;
    labTrace('studio.completed', { bullId });
    // No upload lands after this: the file checked is the file registered.
    const arrived = this.transfer.received(run.outputTicket);
    this.transfer.drop(run.outputTicket);
    const check = await checkLabResult(this.keys, { bullId, takenBy: run.host, file: run.req.tempPath, distrust: (host) => this.lastViews.get(host)?.untrusted?.detail ?? null }, value);
    if (!check.ok || !arrived) {
      rmSync(run.req.tempPath, { force: true });
      const reason = check.ok ? `the agent ${check.result.host} reported success but its output never arrived; retry the job` : check.reason;
      if (!check.ok) this.opts.logError?.(`lab job ${bullId}`, new Error(reason));
      run.resolve(failedEnd(reason, check.ok ? `${check.result.logTail}\n` : ''));
      return;
    }
    const r = check.result;
    if (r.host !== run.host) {
      run.host = r.host;
      run.req.onProgress({ outTimeSec: null, fps: null, speed: null, frame: null, end: true }, r.host);
    }
    run.resolve({ kind: 'done', logTail: `${r.fellBack ? `[lab] ${r.host}: the hardware encoder ${run.encoder} did not open; encoded with the software encoder instead\n` : ''}${r.logTail}` });
  }

  private onFailed(bullId: string, reason: string): void {
    const run = this.runs.get(bullId);
    if (!run) return;
    if (run.cancelled) run.resolve(stoppedEnd('SIGTERM', reason));
    else run.resolve(this.failureEnd(run, reason));
  }

  /**
   * What a failed lab job was, from the studio's own record first (its receiver refused the upload: the output
   * could not be stored, for room or over its cap), then from the agent's tag (ffmpeg killed, upload cut off).
   */
  private failureEnd(run: RemoteRun, reason: string): LabRunEnd {
    const refused = this.transfer.refusal(run.outputTicket);
    if (refused) {
      const space = refused.noSpace ? { freeBytes: refused.freeBytes ?? 0, neededBytes: refused.neededBytes ?? 0 } : null;
      return { kind: 'notStored', reason: refused.message, space, logTail: `error: ${reason}` };
    }
    const f = readFailure(reason);
    if (f.kind === 'killed' && /^SIG[A-Z0-9]+$/.test(f.detail)) return { kind: 'killed', signal: f.detail as NodeJS.Signals, logTail: `error: ${f.message}` };
    if (f.kind === 'upload') return { kind: 'notStored', reason: f.message, space: null, logTail: `error: ${f.message}` };
    return failedEnd(reason);
  }

  /** Re-reads every job this studio has out: catches missed events and puts back what a flush or restart lost. */
  private async watch(): Promise<void> {
    if (this.closed) return;
    // Again every round: a flushed or restarted Redis must not let an agent with a wrong secret start unnoticed.
    await this.conn.set(SECRET_CHECK_KEY, this.keys.id).catch(() => undefined);
    await this.refreshAgents().catch(() => undefined);
    for (const run of [...this.runs.values()]) {
      try {
        const q = this.queue(run.queueName).queue;
        const job = await q.getJob(run.bullId);
        if (run.settled) continue;
        if (!job) {
          if (run.cancelled) run.resolve(stoppedEnd('SIGTERM', 'cancelled'));
          // Gone from Redis without an end (flushed, or Redis restarted without its data): SQLite still says
          // running, so the job is queued again under the same id; an agent still encoding it uploads anyway.
          else await this.enqueue(run);
          continue;
        }
        const state = await job.getState();
        if (state === 'completed') await this.onCompleted(run.bullId, job.returnvalue);
        else if (state === 'failed') this.onFailed(run.bullId, job.failedReason);
      } catch {
        // Redis is away: the next round tries again (ioredis reconnects by itself).
      }
    }
  }

  private async refreshAgents(): Promise<void> {
    const all = await readAgents(this.conn, this.keys, this.opts.agentStaleMs);
    for (const a of all) {
      const name = a.announcement.name;
      const before = this.lastViews.get(name)?.state;
      if (before && before !== 'offline' && before !== 'untrusted' && a.state === 'offline') this.opts.onHostOffline?.(name, a.announcement.lastSeen);
      if (a.untrusted && this.lastViews.get(name)?.untrusted?.reason !== a.untrusted.reason) this.opts.logError?.(`lab agent ${name} is not trusted`, new Error(a.untrusted.detail));
      this.lastViews.set(name, a);
    }
    // An agent the studio cannot verify is no capacity: work is never sent on its word.
    this.agents = all.filter((a) => a.state !== 'offline' && a.state !== 'untrusted').map((a) => a.announcement);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.releaseKillLine?.();
    for (const run of this.runs.values()) run.resolve(stoppedEnd('SIGTERM', 'the studio closed'));
    await Promise.allSettled([...this.queues.values()].flatMap((q) => [q.queue.close(), q.events.close()]));
    await this.transfer.close();
    this.conn.disconnect();
    this.publisher.disconnect();
  }
}
