import { useEffect, useState } from 'react';
import { ANY_HOST, METRIC_FAMILIES, ruleAggregate, type MetricFamily, type MonitorRule, type RuleAggregate } from '../../../../shared/dto/monitor';

const FAMILY_TEXT: Record<MetricFamily, string> = {
  'cpu.load': 'CPU load (%)',
  'cpu.core_load': 'CPU core load (%)',
  'cpu.temp': 'CPU temperature (°C)',
  'gpu.temp': 'GPU temperature (°C)',
  'gpu.util': 'GPU load (%)',
  'gpu.mem_used_pct': 'GPU memory (%)',
  'gpu.power': 'GPU power (W)',
  'temp.other': 'Other temperature (°C)',
  'fan.rpm': 'Fan speed (rpm)',
  'mem.used_pct': 'Memory used (%)',
  'swap.used_pct': 'Swap used (%)',
  'disk.used_pct': 'Disk full (%)',
  'disk.read_bps': 'Disk read (B/s)',
  'disk.write_bps': 'Disk write (B/s)',
  'net.rx_bps': 'Network in (B/s)',
  'net.tx_bps': 'Network out (B/s)',
  'load.1': 'Load average (1 min)',
  uptime: 'Uptime (s)',
};

function numOrNull(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function NumberCell({ value, onChange, label, placeholder }: { value: number | null; onChange(v: number | null): void; label: string; placeholder?: string }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  return (
    <input
      className="monitor-num"
      aria-label={label}
      inputMode="decimal"
      placeholder={placeholder ?? '—'}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(numOrNull(e.target.value));
      }}
    />
  );
}

let ruleCounter = 1;

/** The Host selector's value for "this machine" (a rule without a host). */
const THIS_MACHINE = '';

/** The hosts a rule may watch: this machine, any host, every lab host known now and the one the rule names. */
function hostChoices(labHosts: string[], rule: MonitorRule): { value: string; text: string }[] {
  const names = new Set(labHosts);
  if (rule.host !== undefined && rule.host !== ANY_HOST) names.add(rule.host);
  return [{ value: THIS_MACHINE, text: 'This machine' }, { value: ANY_HOST, text: 'Any host' }, ...[...names].sort().map((n) => ({ value: n, text: n }))];
}

/** Rules as a table: each row is one metric family (optionally narrowed by a series-id match) on one host or any. */
export function RuleEditor({ rules, onChange, labHosts = [] }: { rules: MonitorRule[]; onChange(rules: MonitorRule[]): void; labHosts?: string[] }) {
  const update = (i: number, patch: Partial<MonitorRule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setHost = (i: number, value: string) =>
    onChange(
      rules.map((r, j) => {
        if (j !== i) return r;
        const { host: _host, ...rest } = r;
        return value === THIS_MACHINE ? rest : { ...rest, host: value };
      }),
    );
  return (
    <div className="monitor-rules" data-testid="rule-editor">
      <table className="table">
        <thead>
          <tr>
            <th>On</th>
            <th title="This machine, any host (one alert per host that breaches, naming it), or one lab host">Host</th>
            <th>Metric</th>
            <th title="Only series whose id contains this text (empty: all of them)">Only</th>
            <th title="Hottest only: one alert per rule that follows the highest matching sensor (a CPU's package and cores are one heat event). Each: one alert per sensor (every disk on its own).">Alert per</th>
            <th>Warn at</th>
            <th>Critical at</th>
            <th title="Seconds the level must hold before the alert fires">For (s)</th>
            <th title="How far below a level the value must fall to leave it">Hysteresis</th>
            <th title="Trigger the kill switch after the critical level held this many seconds (empty: never)">Kill switch after (s)</th>
            <th title="Pause the job queue when the critical level fires (for the disk that holds the outputs)">Pause jobs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={r.id} data-testid={`rule-${r.id}`}>
              <td>
                <input type="checkbox" aria-label={`rule ${r.id} enabled`} checked={r.enabled} onChange={(e) => update(i, { enabled: e.target.checked })} />
              </td>
              <td>
                <select aria-label={`rule ${r.id} host`} value={r.host ?? THIS_MACHINE} onChange={(e) => setHost(i, e.target.value)}>
                  {hostChoices(labHosts, r).map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.text}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select aria-label={`rule ${r.id} metric`} value={r.family} onChange={(e) => update(i, { family: e.target.value as MetricFamily })}>
                  {METRIC_FAMILIES.map((f) => (
                    <option key={f} value={f}>
                      {FAMILY_TEXT[f]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input className="monitor-match" aria-label={`rule ${r.id} match`} value={r.match} placeholder="all" onChange={(e) => update(i, { match: e.target.value })} />
              </td>
              <td>
                <select aria-label={`rule ${r.id} aggregate`} value={ruleAggregate(r)} onChange={(e) => update(i, { aggregate: e.target.value as RuleAggregate })}>
                  <option value="max">rule (hottest only)</option>
                  <option value="each">sensor (each)</option>
                </select>
              </td>
              <td>
                <NumberCell label={`rule ${r.id} warn`} value={r.warn} onChange={(warn) => update(i, { warn })} />
              </td>
              <td>
                <NumberCell label={`rule ${r.id} critical`} value={r.critical} onChange={(critical) => update(i, { critical })} />
              </td>
              <td>
                <NumberCell label={`rule ${r.id} for`} value={r.forSec} onChange={(v) => update(i, { forSec: v ?? 0 })} />
              </td>
              <td>
                <NumberCell label={`rule ${r.id} hysteresis`} value={r.hysteresis} onChange={(v) => update(i, { hysteresis: v ?? 0 })} />
              </td>
              <td>
                <NumberCell label={`rule ${r.id} kill switch`} value={r.killSwitchAfterSec} placeholder="never" onChange={(killSwitchAfterSec) => update(i, { killSwitchAfterSec })} />
              </td>
              <td>
                <input type="checkbox" aria-label={`rule ${r.id} pause jobs`} checked={r.pauseJobs === true} onChange={(e) => update(i, { pauseJobs: e.target.checked })} />
              </td>
              <td>
                <button className="icon-button" title="Remove this rule" aria-label={`remove rule ${r.id}`} onClick={() => onChange(rules.filter((_, j) => j !== i))}>
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        className="button secondary"
        onClick={() => {
          let id = `rule-${ruleCounter++}`;
          while (rules.some((r) => r.id === id)) id = `rule-${ruleCounter++}`;
          onChange([...rules, { id, enabled: true, family: 'cpu.load', match: '', warn: 90, critical: null, forSec: 30, hysteresis: 5, killSwitchAfterSec: null, aggregate: 'each' }]);
        }}
      >
        Add a rule
      </button>
    </div>
  );
}
