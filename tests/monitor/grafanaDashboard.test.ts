import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, makeNvidiaSmiStandin } from '../helpers/monitor';

const dashboard = JSON.parse(readFileSync(join(__dirname, '../../resources/prometheus/grafana-church-studio.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { query: string }[] };
};

describe('the Grafana dashboard in resources/prometheus', () => {
  it('uses only metric names the endpoint exports (node_exporter names, nvidia_smi_*, church_*)', async () => {
    const f = FixtureTree.healthy({ pkgC: 70 });
    const smi = makeNvidiaSmiStandin([GPU_LINE_HOT]);
    const m = makeFixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: smi.bin });
    await m.monitor.tick();
    await m.monitor.tick();
    const text = await m.monitor.metricsText();
    const exported = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((x) => x[1]!));
    const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query)];
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:node|nvidia_smi|church)_[a-zA-Z0-9_]+)/g)].map((x) => x[1]!)));
    expect(used.size).toBeGreaterThanOrEqual(15);
    for (const name of used) expect(exported.has(name), `${name} is used by the dashboard but not exported`).toBe(true);
    await m.close();
  });
});
