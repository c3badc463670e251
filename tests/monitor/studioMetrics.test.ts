import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host/createHost';
import { jobFailureReason } from '../../electron/host/metrics/jobFailureReason';
import { exitFailedMessage, killedMessage } from '../../electron/domains/jobs';
import type { Job } from '../../shared/dto/jobs';
import type { ImportProgress } from '../../shared/dto/library';
import type { MonitorSample } from '../../shared/dto/monitor';
import { FixtureTree } from '../helpers/monitor';
import { findPromtool, promtoolCheckMetrics, promtoolFindings } from '../helpers/promtool';
import { describeWithRedis, TestRedis } from '../helpers/redis';
import { writeSecret } from '../helpers/lab';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

function job(id: number, over: Partial<Job>): Job {
  return {
    id, videoId: null, extraVideoIds: [], preset: 'web-1080p', kind: 'web', status: 'running', priority: 0, position: id, params: {}, outputPath: '/x', args: [], plan: null,
    createdAt: '2024-01-01T00:00:00.000Z', startedAt: '2024-01-01T00:00:00.000Z', finishedAt: null, exitCode: null, error: null, logTail: '', attempts: 1, outputIds: [], outputBytes: null, progress: null, queuedBy: 'cli',
    ...over,
  };
}

function importEnd(importId: string, phase: ImportProgress['phase']): ImportProgress {
  return { importId, phase, seen: 12, probed: 10, failed: 2, unchanged: 2, queued: 0, currentFile: null, ratePerSec: 5, etaSec: 0, startedAt: '2024-01-01T00:00:00.000Z' };
}

/** The value of one series in an exposition ("name{a="b"} 3"), or undefined. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Feeds the studio's events as the jobs and library domains send them. */
function feed(host: Host): void {
  const e = host.events;
  e.emit('jobs.progress', { jobId: 1, percent: 50, fps: 120, speed: 3.5, etaSec: 10, outTimeSec: 30 });
  e.emit('jobs.changed', job(1, { status: 'done', finishedAt: '2024-01-01T00:00:42.000Z', progress: null }));
  e.emit('jobs.changed', job(1, { status: 'done', finishedAt: '2024-01-01T00:00:42.000Z' })); // re-announced: counted once
  e.emit('jobs.changed', job(2, { preset: 'audio-aac', status: 'failed', finishedAt: '2024-01-01T00:00:07.000Z', exitCode: 1, error: exitFailedMessage(1, 'Invalid data found when processing input') }));
  e.emit('jobs.changed', job(3, { status: 'failed', finishedAt: '2024-01-01T00:10:00.000Z', error: 'not enough disk space in /out: the output needs about 2 GB' }));
  e.emit('library.importProgress', importEnd('imp-1', 'probing'));
  e.emit('library.importProgress', importEnd('imp-1', 'done'));
  e.emit('library.importProgress', importEnd('imp-1', 'done'));
  e.emit('library.importProgress', importEnd('imp-2', 'cancelled'));
}

describe('the studio\'s own metrics on the Prometheus endpoint', () => {
  let host: Host;
  let text: string;
  beforeAll(async () => {
    const f = FixtureTree.healthy({ pkgC: 64 });
    const dataDir = tempDir('church-studio-metrics-');
    host = createHost({ dataDir, env: { CHURCH_MONITOR_ROOT: f.root, CHURCH_NVIDIA_SMI: '', PATH: process.env.PATH }, logError: () => undefined });
    const samples: MonitorSample[] = [];
    host.events.subscribe((name, p) => name === 'monitor.sample' && samples.push(p as MonitorSample));
    await waitFor('a hardware sample', () => samples.length > 0);
    await host.backup.run();
    feed(host);
    text = await host.monitor.metricsText();
  }, 120_000);
  afterAll(async () => {
    await host?.close();
  });

  it('exports the queue, durations and speeds by preset, failures by reason, imports and backups beside the node_exporter names', () => {
    expect(text).toMatch(/^node_hwmon_temp_celsius\{chip="platform_coretemp_0",sensor="temp1"\} 64$/m);
    for (const s of ['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted']) expect(value(text, `church_jobs{state="${s}"}`), s).toBe(0);
    expect(value(text, 'church_job_duration_seconds_count{preset="web-1080p",status="done"}')).toBe(1);
    expect(value(text, 'church_job_duration_seconds_sum{preset="web-1080p",status="done"}')).toBe(42);
    expect(value(text, 'church_job_duration_seconds_bucket{le="60",preset="web-1080p",status="done"}')).toBe(1);
    expect(value(text, 'church_job_duration_seconds_bucket{le="30",preset="web-1080p",status="done"}')).toBe(0);
    expect(value(text, 'church_job_encode_speed_ratio_sum{preset="web-1080p"}')).toBe(3.5);
    expect(value(text, 'church_job_failures_total{reason="ffmpeg_error"}')).toBe(1);
    expect(value(text, 'church_job_failures_total{reason="disk_space"}')).toBe(1);
    expect(value(text, 'church_imports_total{result="done"}')).toBe(1);
    expect(value(text, 'church_imports_total{result="cancelled"}')).toBe(1);
    expect(value(text, 'church_import_files_total{result="imported"}')).toBe(16);
    expect(value(text, 'church_import_files_total{result="failed"}')).toBe(4);
    expect(value(text, 'church_backup_last_success')).toBe(1);
    expect(value(text, 'church_backup_age_seconds')).toBeLessThan(120);
    expect(value(text, 'church_backup_last_run_timestamp_seconds')).toBeGreaterThan(1_700_000_000);
    // No lab configured: no lab series rather than zeros that look like a lab with no agents.
    expect(text).not.toMatch(/^church_lab_agents\{/m);
  });

  it('is clean for `promtool check metrics` (the studio\'s own part entirely; node_exporter\'s names as node_exporter has them)', () => {
    const p = findPromtool();
    if ('missing' in p) {
      console.warn(`skipped: ${p.missing}`);
      return;
    }
    expect(promtoolFindings(p.bin, text)).toEqual([]);
    const own = text.split('\n').filter((l) => /^(# (HELP|TYPE) )?church_/.test(l)).join('\n') + '\n';
    expect(own).toMatch(/church_job_duration_seconds_bucket/);
    expect(promtoolCheckMetrics(p.bin, own)).toEqual({ ok: true, output: '' });
  });

  it('every panel of the shipped Grafana dashboard names metrics the endpoint exports', () => {
    const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../resources/prometheus/grafana-church-studio.json'), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exported = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((x) => x[1]!));
    const studioPanels = dashboard.panels.filter((p) => p.targets?.some((t) => /\bchurch_(jobs|job_|imports|import_|backup_|lab_)/.test(t.expr)));
    expect(studioPanels.length).toBeGreaterThanOrEqual(6);
    for (const p of dashboard.panels) {
      for (const t of p.targets ?? []) {
        const names = [...t.expr.matchAll(/\b((?:node|nvidia_smi|church)_[a-zA-Z0-9_]+)/g)].map((x) => x[1]!);
        expect(names.length, `${p.title}: ${t.expr}`).toBeGreaterThan(0);
        // church_lab_* need a lab and nvidia_smi_* a GPU: grafanaDashboard.test.ts checks those with stand-ins.
        for (const n of names.filter((x) => !x.startsWith('church_lab_') && !x.startsWith('nvidia_smi_'))) expect(exported.has(n), `${p.title}: ${n} is not exported`).toBe(true);
      }
    }
  });

  it('sorts failures into a fixed set of reasons from the jobs domain\'s own words', () => {
    expect(jobFailureReason({ error: exitFailedMessage(1, 'x'), exitCode: 1 })).toBe('ffmpeg_error');
    expect(jobFailureReason({ error: killedMessage('SIGKILL'), exitCode: null })).toBe('killed');
    expect(jobFailureReason({ error: 'the job runner failed: boom; retry the job', exitCode: null })).toBe('runner');
    expect(jobFailureReason({ error: 'something new', exitCode: null })).toBe('other');
  });
});

describe('lab agents in the metrics', () => {
  it('a lab whose Redis does not answer shows church_lab_redis_up 0, and the rest of the scrape still goes out', async () => {
    const dir = tempDir('church-metrics-lab-');
    const secretFile = writeSecret(dir);
    const host = createHost({ dataDir: join(dir, 'data'), env: { CHURCH_LAB_URL: 'redis://127.0.0.1:1', CHURCH_LAB_SECRET_FILE: secretFile, CHURCH_MONITOR_ROOT: FixtureTree.healthy().root }, startEngines: false, logError: () => undefined });
    try {
      const t = await host.monitor.metricsText();
      expect(value(t, 'church_lab_redis_up')).toBe(0);
      expect(value(t, 'church_jobs{state="queued"}')).toBe(0);
    } finally {
      await host.close();
    }
  }, 30_000);
});

describeWithRedis('lab agents in the metrics, with a real Redis', () => {
  it('reads the agents by state (none yet: every state 0) and says Redis is up', async () => {
    const dir = tempDir('church-metrics-redis-');
    const redis = await TestRedis.start(dir);
    const host = createHost({ dataDir: join(dir, 'data'), env: { CHURCH_LAB_URL: redis.url, CHURCH_LAB_SECRET_FILE: writeSecret(dir), CHURCH_MONITOR_ROOT: FixtureTree.healthy().root }, startEngines: false, logError: () => undefined });
    try {
      const t = await host.monitor.metricsText();
      expect(value(t, 'church_lab_redis_up')).toBe(1);
      for (const s of ['idle', 'working', 'paused', 'offline', 'untrusted']) expect(value(t, `church_lab_agents{state="${s}"}`)).toBe(0);
      const p = findPromtool();
      if ('bin' in p) expect(promtoolFindings(p.bin, t)).toEqual([]);
    } finally {
      await host.close();
      await redis.stop();
    }
  }, 60_000);
});
