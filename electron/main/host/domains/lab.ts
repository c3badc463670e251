import type { labRequests } from '../../../../shared/contract/lab';
import type { LabSettings, LabSettingsView } from '../../../../shared/dto/lab';
import type { MonitorSample } from '../../../../shared/dto/monitor';
import { NodeExporterScraper, type HostSampleSink } from '../../services/lab/nodeExporter/NodeExporterScraper';
import { LAB_PASSWORD_SECRET, maskRedisUrl, readLabSettings, resolveLab, writeLabSettings, type ResolvedLab } from '../../services/lab/labSettings';
import type { HostCore } from '../createHost';
import { labHandlers } from '../handlers/lab';
import type { ComposedDomain } from './types';

/** The lab as this process runs it: the Redis lab resolved once at start, and the node_exporter scraper. */
export interface LabService {
  readonly resolved: ResolvedLab;
  /** Seconds without a heartbeat before an agent is offline (CHURCH_LAB_OFFLINE_MS wins over Settings). */
  offlineMs(): number;
  scraper: NodeExporterScraper;
  /** The last scraped sample of each host without an agent, until the per-host sample store takes them. */
  latestHostSamples(): ReadonlyMap<string, MonitorSample>;
  settingsView(): LabSettingsView;
  saveSettings(s: LabSettings): LabSettingsView;
  setPassword(password: string | null): LabSettingsView;
}

/** The Redis part of the settings: when it changes, the running studio keeps its connection until restarted. */
function redisPart(s: LabSettings): string {
  return JSON.stringify([s.enabled, s.redisUrl, s.user, s.tls, s.caFile, s.secretFile]);
}

export function composeLab(core: HostCore, opts: { sink?: HostSampleSink } = {}): ComposedDomain<LabService, typeof labRequests> {
  const resolved = resolveLab(core.env, core.settings, core.secrets);
  if (resolved.problem) core.logError('the lab in Settings could not be used; the studio runs without it', new Error(resolved.problem));
  const atStart = readLabSettings(core.settings);
  const passwordAtStart = core.secrets.get(LAB_PASSWORD_SECRET);
  let started = false;
  const latest = new Map<string, MonitorSample>();
  const sink: HostSampleSink = (host, sample) => {
    latest.set(host, sample);
    opts.sink?.(host, sample);
  };
  const scraper = new NodeExporterScraper({ targets: atStart.targets, intervalMs: atStart.scrapeIntervalSec * 1000, timeoutMs: atStart.scrapeTimeoutSec * 1000, sink, logError: core.logError });

  const service: LabService = {
    resolved,
    offlineMs: () => Number(core.env.CHURCH_LAB_OFFLINE_MS) || readLabSettings(core.settings).offlineSec * 1000,
    scraper,
    latestHostSamples: () => latest,
    settingsView() {
      const settings = readLabSettings(core.settings);
      const password = core.secrets.get(LAB_PASSWORD_SECRET);
      return {
        settings,
        passwordSet: password !== null,
        source: resolved.source,
        activeUrl: resolved.config ? maskRedisUrl(resolved.config.url) : null,
        restartNeeded: resolved.source !== 'environment' && (redisPart(settings) !== redisPart(atStart) || password !== passwordAtStart),
        problem: resolved.problem,
      };
    },
    saveSettings(s) {
      const saved = writeLabSettings(core.settings, s);
      scraper.configure({ targets: saved.targets, intervalMs: saved.scrapeIntervalSec * 1000, timeoutMs: saved.scrapeTimeoutSec * 1000 });
      if (saved.targets.length && core.isPrimary && started) scraper.start();
      if (!saved.targets.length) scraper.stop();
      return service.settingsView();
    },
    setPassword(password) {
      if (password === null) core.secrets.delete(LAB_PASSWORD_SECRET);
      else core.secrets.set(LAB_PASSWORD_SECRET, password);
      return service.settingsView();
    },
  };
  return {
    service,
    handlers: labHandlers(service),
    start: () => {
      started = true;
      if (readLabSettings(core.settings).targets.length) scraper.start();
    },
    close: () => scraper.stop(),
  };
}
