import { useState } from 'react';
import type { MonitorSettingsData, MonitorSettingsView } from '../../../../shared/dto/monitor';
import { useMonitor } from './store';

/** The Prometheus part of the monitor's settings: the /metrics endpoint, where it listens, and its bearer token. */
export function PrometheusSettings({ settings, draft, setDraft }: { settings: MonitorSettingsView; draft: MonitorSettingsData; setDraft(d: MonitorSettingsData): void }) {
  const { setPrometheusToken } = useMonitor.getState();
  const [promToken, setPromToken] = useState('');
  // The token is kept for the saved bind address: a moved LAN address is saved before its token (one stored while
  // on loopback binds to the first LAN address saved).
  const savedBind = settings.prometheus.bindAddress ?? '127.0.0.1';
  const bindUnsaved = !/^(127\.|::1$|localhost$)/.test(savedBind) && (draft.prometheus.bindAddress ?? '127.0.0.1') !== savedBind;
  return (
    <>
      <h3>Prometheus</h3>
      <div className="monitor-form">
        <label className="monitor-check">
          <input type="checkbox" checked={draft.prometheus.enabled} onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, enabled: e.target.checked } })} data-testid="prom-enabled" />
          Serve /metrics (node_exporter names)
        </label>
        <label title="127.0.0.1: this machine only. An address of this machine on the LAN (or 0.0.0.0 for every interface) lets the lab's Prometheus scrape it; that needs the bearer token below.">
          Bind address
          <input
            value={draft.prometheus.bindAddress ?? '127.0.0.1'}
            onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, bindAddress: e.target.value.trim() } })}
            aria-label="Prometheus bind address"
            data-testid="prom-bind"
          />
        </label>
        <label title="Names your Prometheus uses as the target (its Host header), besides this machine's addresses and name. Other names are refused (DNS rebinding).">
          Host names (comma-separated)
          <input
            value={(draft.prometheus.hostNames ?? []).join(', ')}
            placeholder="studio.lan"
            onChange={(e) =>
              setDraft({
                ...draft,
                prometheus: {
                  ...draft.prometheus,
                  hostNames: e.target.value
                    .split(',')
                    .map((h) => h.trim())
                    .filter(Boolean),
                },
              })
            }
            aria-label="Prometheus host names"
          />
        </label>
        <label>
          <span>
            Bearer token {settings.prometheusTokenSet ? <span className="badge badge-ok">stored</span> : <span className="muted">(not set: scrapes from this machine only)</span>}
          </span>
          {settings.prometheusTokenNote && (
            <span className="badge badge-warn" data-testid="prom-token-note">
              {settings.prometheusTokenNote}
            </span>
          )}
          <span className="row">
            <input
              type="password"
              value={promToken}
              placeholder="e.g. the output of openssl rand -hex 32"
              onChange={(e) => setPromToken(e.target.value)}
              aria-label="Prometheus bearer token"
              autoComplete="new-password"
            />
            <button className="button secondary" disabled={promToken.length < 16 || bindUnsaved} title={bindUnsaved ? 'Save the new bind address first: the token is kept for the saved address only' : 'At least 16 characters'} onClick={() => void setPrometheusToken(promToken).then(() => setPromToken(''))}>
              Save token
            </button>
            {settings.prometheusTokenSet && (
              <button className="button secondary" onClick={() => void setPrometheusToken(null)}>
                Remove token
              </button>
            )}
          </span>
        </label>
        <label>
          Port
          <input
            className="monitor-num"
            value={draft.prometheus.port}
            inputMode="numeric"
            onChange={(e) => setDraft({ ...draft, prometheus: { ...draft.prometheus, port: Number(e.target.value) || 0 } })}
            aria-label="Prometheus port"
          />
        </label>
        <span className="muted" data-testid="prom-url">
          {settings.prometheusUrl ? `Listening: ${settings.prometheusUrl}` : settings.sampling ? 'Off' : 'Runs in the studio process that samples'}
        </span>
      </div>
    </>
  );
}
