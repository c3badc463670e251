import { spawnSync } from 'node:child_process';

/** promtool from the Prometheus package (apt: prometheus), or null with why it is missing. */
export function findPromtool(): { bin: string } | { missing: string } {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { missing: 'promtool is not installed (apt-get install prometheus); the exposition is not linted here' };
  return { bin: 'promtool' };
}

/** `promtool check metrics` on an exposition: its findings, '' when clean. */
export function promtoolCheckMetrics(bin: string, text: string): { ok: boolean; output: string } {
  const r = spawnSync(bin, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/**
 * node_exporter's own names that promtool's lint calls camelCase: the studio keeps them as node_exporter spells
 * them, so existing dashboards work (node_exporter itself gets the same findings). Nothing else may appear.
 */
const NODE_EXPORTER_CAMEL = /^node_memory_(MemTotal|MemAvailable|SwapTotal|SwapFree)_bytes metric names should be written in 'snake_case' not 'camelCase'$/;

/** promtool's findings on an exposition, without the node_exporter names kept on purpose. */
export function promtoolFindings(bin: string, text: string): string[] {
  return promtoolCheckMetrics(bin, text).output.split('\n').filter((l) => l.trim() !== '' && !NODE_EXPORTER_CAMEL.test(l));
}
