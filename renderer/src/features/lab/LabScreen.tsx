import { useEffect } from 'react';
import type { LabAgent } from '../../../../shared/dto/lab';
import { summarizeSample } from '../../../../shared/dto/monitor';
import { heatClass } from '../../lib/heat';
import { EmptyState } from '../../ui/EmptyState';
import { Toggle } from '../../ui/Toggle';
import { ScrapeTargetTable } from './ScrapeTargetTable';
import { useLab } from './store';

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
}

function gb(bytes: number | null): string {
  return bytes === null ? '–' : `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

function Heat({ a }: { a: LabAgent }) {
  if (!a.sample) return <span className="muted">no monitor sample yet</span>;
  const s = summarizeSample(a.sample);
  const temp = (c: number | null) => <span className={heatClass(c)}>{c === null ? 'n/a' : `${c.toFixed(0)} °C`}</span>;
  return (
    <span data-testid={`agent-heat-${a.name}`} title="From the host's newest monitor sample">
      CPU {temp(s.cpuTempC)} · GPU {temp(s.gpuTempC)} · CPU {s.cpuLoadPct === null ? 'n/a' : `${s.cpuLoadPct.toFixed(0)} %`} · memory {s.memUsedPct === null ? 'n/a' : `${s.memUsedPct.toFixed(0)} %`}
    </span>
  );
}

const BADGE: Record<LabAgent['state'], string> = { idle: 'badge-ok', working: 'badge-ok', paused: '', offline: 'badge-bad', untrusted: 'badge-bad' };

function AgentRow({ a, onPause }: { a: LabAgent; onPause(paused: boolean): void }) {
  return (
    <tr data-testid={`agent-${a.name}`}>
      <th>
        {a.name}
        <div className="muted">{a.hostname}</div>
      </th>
      <td>
        <span className={`badge ${BADGE[a.state]}`} title={a.untrusted?.detail}>
          {a.state === 'offline' ? `offline since ${ago(a.lastSeen)}` : a.state === 'untrusted' ? `untrusted: ${a.untrusted?.reason ?? '?'}` : a.state}
        </span>
        {a.untrusted && <div className="muted">{a.untrusted.detail}</div>}
      </td>
      <td>{a.running.length ? a.running.map((r) => `job #${r.studioJobId} ${r.percent === null ? '' : `${r.percent.toFixed(0)}%`}`).join(', ') : '–'}</td>
      <td>
        <Heat a={a} />
      </td>
      <td>
        {a.cores} cores · load {a.loadAverage[0]?.toFixed(2) ?? '?'} · {gb(a.memoryBytes)} RAM · {gb(a.freeDiskBytes)} free
      </td>
      <td className="muted">{a.encoders.join(', ') || 'none'}</td>
      <td>
        <Toggle
          checked={a.paused}
          disabled={a.state === 'offline' || a.state === 'untrusted'}
          onChange={onPause}
          label={`Pause ${a.name}`}
          onText="paused"
          offText="taking work"
          title="A paused agent takes no new work; its running encode finishes"
          testId={`agent-pause-${a.name}`}
        />
      </td>
    </tr>
  );
}

/** Every lab agent with its state, what it runs, its load and encoders, and a switch to pause it. */
export function LabScreen() {
  const { status, refresh, setPaused } = useLab();
  useEffect(() => {
    void refresh();
    const t = setInterval(() => void refresh(), 2000);
    return () => clearInterval(t);
  }, [refresh]);

  return (
    <section className="screen">
      <header className="screen-head">
        <h1>Lab</h1>
        {status?.configured ? <span className="muted">queue: {status.queue.waiting} waiting, {status.queue.active} running on agents</span> : null}
      </header>
      {!status ? (
        <p className="muted">Reading the lab…</p>
      ) : !status.configured ? (
        <EmptyState icon="⌬" title="No lab is configured" testId="lab-empty">
          <p>Every job runs on this machine.</p>
          <p>
            Turn it on in <a href="#/settings/lab">Settings → Lab</a> (or start the studio with <code>CHURCH_LAB_URL</code> and <code>CHURCH_LAB_SECRET_FILE</code>, or <code>--lab URL --lab-secret-file FILE</code>) and run <code>church agent</code> on each lab host; see docs/lab.md.
          </p>
        </EmptyState>
      ) : status.agents.length === 0 ? (
        <EmptyState icon="⌬" title="No agent has announced itself yet" testId="lab-no-agents">
          <p>
            On a lab host: <code>church agent --lab URL --secret-file FILE</code>
          </p>
        </EmptyState>
      ) : (
        <div className="card">
          <table className="table" data-testid="lab-agents">
            <thead>
              <tr>
                <th>Agent</th>
                <th>State</th>
                <th>Running</th>
                <th>Temperatures and load</th>
                <th>Hardware</th>
                <th>Encoders</th>
                <th>Pause</th>
              </tr>
            </thead>
            <tbody>
              {status.agents.map((a) => (
                <AgentRow key={a.name} a={a} onPause={(p) => void setPaused(a.name, p)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {status && status.targets.length > 0 && <ScrapeTargetTable targets={status.targets} />}
    </section>
  );
}
