import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

// Loaded with the first figure recorded or the first scrape, like the hardware exposition.
const require = createRequire(import.meta.url);
const prom = (): typeof PromClient => require('prom-client') as typeof PromClient;

/** Seconds a job ran: a remux takes seconds, an HD ladder hours. */
export const JOB_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400];
/** Encode speed as a multiple of real time (ffmpeg's speed=): below 1 is slower than playback. */
export const ENCODE_SPEED_BUCKETS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

export const LAB_AGENT_STATES = ['idle', 'working', 'paused', 'offline', 'untrusted'] as const;
export type LabAgentStateName = (typeof LAB_AGENT_STATES)[number];

/** What a scrape reads now: gauges of the moment, each from its domain's public read. */
export interface StudioReadings {
  /** Jobs per status (every status present, 0 when none). */
  jobs: Record<string, number>;
  /** Seconds since the newest verified local snapshot (null: none yet). */
  backupAgeSec: number | null;
  /** The last backup run: when (unix seconds) and whether it succeeded (null: never ran). */
  lastBackup: { at: number; ok: boolean } | null;
  /** Lab agents per state; null without a lab; 'unreachable' when the lab's Redis did not answer. */
  labAgents: Record<LabAgentStateName, number> | 'unreachable' | null;
}

/**
 * The studio's own figures beside the node_exporter names: the queue, job durations and speeds by preset,
 * failures by reason, imports, backups and lab agents. Counters and histograms are fed by events as they
 * happen (since this process started, as Prometheus expects); gauges are read at each scrape.
 */
export class StudioMetrics {
  private m: ReturnType<StudioMetrics['build']> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  private build() {
    const registry = new (prom().Registry)();
    const registers = [registry];
    const P = prom();
    return {
      registry,
      jobs: new P.Gauge({ name: 'church_jobs', help: 'Jobs in the queue and its history, by state.', labelNames: ['state'], registers }),
      duration: new P.Histogram({ name: 'church_job_duration_seconds', help: 'Seconds a finished job ran (done or failed), by preset.', labelNames: ['preset', 'status'], buckets: JOB_DURATION_BUCKETS, registers }),
      speed: new P.Histogram({ name: 'church_job_encode_speed_ratio', help: 'Encode speed of a finished job as a multiple of real time (ffmpeg speed=), by preset.', labelNames: ['preset'], buckets: ENCODE_SPEED_BUCKETS, registers }),
      failures: new P.Counter({ name: 'church_job_failures_total', help: 'Jobs that failed, by reason.', labelNames: ['reason'], registers }),
      imports: new P.Counter({ name: 'church_imports_total', help: 'Library imports and scans that ended, by result.', labelNames: ['result'], registers }),
      importFiles: new P.Counter({ name: 'church_import_files_total', help: 'Files met by the imports that ended, by what became of them.', labelNames: ['result'], registers }),
      backupAge: new P.Gauge({ name: 'church_backup_age_seconds', help: 'Seconds since the newest verified local snapshot.', registers }),
      backupLast: new P.Gauge({ name: 'church_backup_last_run_timestamp_seconds', help: 'When the last backup ran (unix seconds).', registers }),
      backupOk: new P.Gauge({ name: 'church_backup_last_success', help: '1 when the last backup run succeeded, 0 when it failed.', registers }),
      labAgents: new P.Gauge({ name: 'church_lab_agents', help: 'Lab agents by state (from their signed heartbeats).', labelNames: ['state'], registers }),
      labUp: new P.Gauge({ name: 'church_lab_redis_up', help: '1 when the lab\'s Redis answered the last read, 0 when it did not.', registers }),
    };
  }

  private get metrics() {
    return (this.m ??= this.build());
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  jobFinished(preset: string, status: 'done' | 'failed', durationSec: number | null, speed: number | null): void {
    if (durationSec !== null && durationSec >= 0) this.metrics.duration.observe({ preset, status }, durationSec);
    if (status === 'done' && speed !== null && speed > 0) this.metrics.speed.observe({ preset }, speed);
  }

  jobFailed(reason: string): void {
    this.metrics.failures.inc({ reason });
  }

  importEnded(result: 'done' | 'cancelled' | 'failed', files: { probed: number; failed: number; unchanged: number }): void {
    const m = this.metrics;
    m.imports.inc({ result });
    // probed counts the failed ones too: "imported" is what was probed and did not fail.
    m.importFiles.inc({ result: 'imported' }, Math.max(0, files.probed - files.failed));
    m.importFiles.inc({ result: 'failed' }, files.failed);
    m.importFiles.inc({ result: 'unchanged' }, files.unchanged);
  }

  /** The text of one scrape. Renders run one at a time: the gauges are reset and filled for each. */
  render(read: () => Promise<StudioReadings>): Promise<string> {
    const text = this.chain.then(async () => this.fill(await read()));
    this.chain = text.catch(() => undefined);
    return text;
  }

  private fill(r: StudioReadings): Promise<string> {
    const m = this.metrics;
    for (const g of [m.jobs, m.backupAge, m.backupLast, m.backupOk, m.labAgents, m.labUp]) g.reset();
    for (const [state, n] of Object.entries(r.jobs)) m.jobs.set({ state }, n);
    if (r.backupAgeSec !== null) m.backupAge.set(r.backupAgeSec);
    if (r.lastBackup) {
      m.backupLast.set(r.lastBackup.at);
      m.backupOk.set(r.lastBackup.ok ? 1 : 0);
    }
    if (r.labAgents === 'unreachable') m.labUp.set(0);
    else if (r.labAgents) {
      m.labUp.set(1);
      for (const s of LAB_AGENT_STATES) m.labAgents.set({ state: s }, r.labAgents[s]);
    }
    return m.registry.metrics();
  }
}
