import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioMetrics } from '../../electron/domains/monitor';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, makeNvidiaSmiStandin } from '../helpers/monitor';

const dashboard = JSON.parse(readFileSync(join(__dirname, '../../resources/prometheus/grafana-church-studio.json'), 'utf8')) as {
  panels: { title: string; targets?: { expr: string }[] }[];
  templating: { list: { query: string }[] };
};

describe('the Grafana dashboard in resources/prometheus', () => {
  it('uses only metric names the endpoint exports (node_exporter names, nvidia_smi_*, church_*)', async () => {
    const f = FixtureTree.healthy({ pkgC: 70 });
    const smi = makeNvidiaSmiStandin([GPU_LINE_HOT]);
    const m = makeFixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: smi.bin });
    // The studio's own figures, with every series present (a lab with agents, a finished and a failed job).
    const studio = new StudioMetrics();
    studio.jobFinished('web-1080p', 'done', 42, 3.5);
    studio.jobFailed('ffmpeg_error');
    studio.importEnded('done', { probed: 3, failed: 1, unchanged: 0 });
    const labAgents = { idle: 1, working: 1, paused: 0, offline: 0, untrusted: 0 };
    m.monitor.addMetricsSource(() => studio.render(async () => ({ jobs: { queued: 2, running: 1 }, backupAgeSec: 60, lastBackup: { at: 1_700_000_000, ok: true }, labAgents })));
    await m.monitor.tick();
    await m.monitor.tick();
    const text = await m.monitor.metricsText();
    const exported = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((x) => x[1]!));
    const exprs = [...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query)];
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:node|nvidia_smi|church)_[a-zA-Z0-9_]+)/g)].map((x) => x[1]!)));
    expect(used.size).toBeGreaterThanOrEqual(25);
    for (const name of used) expect(exported.has(name), `${name} is used by the dashboard but not exported`).toBe(true);
    await m.close();
  });
});
