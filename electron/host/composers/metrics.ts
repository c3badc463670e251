import { JOB_STATUSES, type Job, type JobProgress } from '../../../shared/dto/jobs';
import type { ImportProgress } from '../../../shared/dto/library';
import { listLocalSnapshots, type BackupService } from '../../domains/backup';
import { JobStore } from '../../domains/jobs';
import { loadLabOverview, type LabService } from '../../domains/lab';
import { LAB_AGENT_STATES, StudioMetrics, type LabAgentStateName, type Monitor, type StudioReadings } from '../../domains/monitor';
import type { HostCore } from '../hostCore';
import { jobFailureReason } from '../metrics/jobFailureReason';

export interface MetricsDeps {
  monitor: Monitor;
  backup: BackupService;
  lab: LabService;
  /** Tests: a clock. */
  now?: () => number;
}

/** A lab read is reused this long: scrapes every 15 s should not each open a Redis connection. */
const LAB_READ_TTL_MS = 10_000;
const LAB_READ_TIMEOUT_MS = 3000;
/** Ids remembered so a job or import re-announced in its end state is counted once. */
const REMEMBERED = 2000;

function remember(set: Set<string | number>, id: string | number): boolean {
  if (set.has(id)) return false;
  set.add(id);
  if (set.size > REMEMBERED) set.delete(set.values().next().value!);
  return true;
}

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) ? s : null;
}

/** The lab's agents by state, read through the lab's public overview, cached for a few seconds. */
function labAgentReader(lab: LabService, now: () => number, logError: HostCore['logError']): () => Promise<StudioReadings['labAgents']> {
  let cached: { at: number; value: StudioReadings['labAgents'] } | null = null;
  return async () => {
    const config = lab.resolved.config;
    if (!config) return null;
    if (cached && now() - cached.at < LAB_READ_TTL_MS) return cached.value;
    let value: StudioReadings['labAgents'];
    try {
      const { readLabOverview } = await loadLabOverview();
      const overview = await readLabOverview(config, LAB_READ_TIMEOUT_MS, lab.offlineMs());
      const counts = Object.fromEntries(LAB_AGENT_STATES.map((s) => [s, 0])) as Record<LabAgentStateName, number>;
      for (const a of overview.agents) counts[a.state] += 1;
      value = counts;
    } catch (e) {
      logError('metrics: the lab\'s agents could not be read', e);
      value = 'unreachable';
    }
    cached = { at: now(), value };
    return value;
  };
}

/**
 * The studio's own Prometheus figures: counters and histograms from the domains' events (jobs, imports), gauges
 * read at each scrape from the domains' public reads (job counts, backups, the lab's agents), served by the
 * monitor's endpoint after the hardware's. Only the primary process serves the endpoint, so only it records.
 */
export function composeMetrics(core: HostCore, deps: MetricsDeps): { service: StudioMetrics; close(): void } {
  const studio = new StudioMetrics();
  const now = deps.now ?? Date.now;
  const jobStore = new JobStore(core.db);
  const lastSpeed = new Map<number, number>();
  const finished = new Set<number>();
  const imports = new Set<string>();
  const onJob = (j: Job) => {
    if (j.status !== 'done' && j.status !== 'failed') {
      if (j.status !== 'running' && j.status !== 'paused') lastSpeed.delete(j.id);
      return;
    }
    const speed = j.progress?.speed ?? lastSpeed.get(j.id) ?? null;
    lastSpeed.delete(j.id);
    if (!remember(finished, j.id)) return;
    studio.jobFinished(j.preset, j.status, seconds(j.startedAt, j.finishedAt), speed);
    if (j.status === 'failed') studio.jobFailed(jobFailureReason(j));
  };
  const onImport = (p: ImportProgress) => {
    if ((p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'failed') && remember(imports, p.importId)) studio.importEnded(p.phase, p);
  };
  const unsubscribe = core.isPrimary
    ? core.events.subscribe((name, payload) => {
        if (name === 'jobs.changed') onJob(payload as Job);
        else if (name === 'jobs.progress') {
          const p = payload as JobProgress;
          if (p.speed !== null && p.speed > 0) lastSpeed.set(p.jobId, p.speed);
        } else if (name === 'library.importProgress') onImport(payload as ImportProgress);
      })
    : () => undefined;
  const labAgents = labAgentReader(deps.lab, now, core.logError);
  const read = async (): Promise<StudioReadings> => {
    const jobs = Object.fromEntries(JOB_STATUSES.map((s) => [s, jobStore.count(s)]));
    const newest = listLocalSnapshots(core.dataDir).filter((s) => s.verified).map((s) => Date.parse(s.createdAt)).filter(Number.isFinite).sort((a, b) => b - a)[0];
    const last = deps.backup.status().lastRun;
    return {
      jobs,
      backupAgeSec: newest === undefined ? null : Math.max(0, Math.round((now() - newest) / 1000)),
      lastBackup: last ? { at: Math.round(Date.parse(last.at) / 1000), ok: last.ok } : null,
      labAgents: await labAgents(),
    };
  };
  deps.monitor.addMetricsSource(() => studio.render(read));
  return { service: studio, close: () => void unsubscribe() };
}
