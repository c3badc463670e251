import type { LabSettings, LabSettingsView } from '../../../shared/dto/lab';
import { ChurchError } from '../../../shared/errors';
import type { MonitorSample } from '../../../shared/dto/monitor';
import type { StopLabStep } from '../killswitch';
import type { HostSampleSink, HostSampleSource } from '../monitor';
import { SecretBindings, type SecretStore } from '../../platform/secrets';
import type { SettingsStore } from '../../platform/settings';
import { LAB_PASSWORD_SECRET, labDestination, labPassword, labPasswordMovedNote, maskRedisUrl, readLabSettings, resolveLab, writeLabSettings, type ResolvedLab } from './labSettings';
import { NodeExporterScraper } from './nodeExporter/NodeExporterScraper';
import { labSampleSource } from './labSampleSource';
import { checkLabSecretPath } from './labSecretFile';
import type { LabOverview, LabOverviewReader } from './overview';

/** The lab as this process runs it: the Redis lab resolved once at start, and the node_exporter scraper. */
export interface LabService {
  readonly resolved: ResolvedLab;
  /** Milliseconds without a heartbeat before an agent is offline (CHURCH_LAB_OFFLINE_MS wins over Settings). */
  offlineMs(): number;
  scraper: NodeExporterScraper;
  /** The last scraped sample of each host without an agent, until the per-host sample store takes them. */
  latestHostSamples(): ReadonlyMap<string, MonitorSample>;
  settingsView(): LabSettingsView;
  saveSettings(s: LabSettings): LabSettingsView;
  setPassword(password: string | null): LabSettingsView;
  /**
   * Before the saved settings are applied: the lab they describe must be usable (its secret file, its CA) and its
   * Redis must answer, or the apply is refused with what to fix and nothing changes. A lab turned off passes.
   */
  checkSaved(): Promise<void>;
  /**
   * The lab's hosts for the monitor: scraped node_exporters, and with a lab the agents' signed samples (that
   * subscription starts with the monitor, and only then loads the Redis code).
   */
  readonly sampleSource: HostSampleSource;
  /** The kill switch's "stop the lab" step; absent without a lab. Its Redis code loads when a run reaches it. */
  readonly killStep: StopLabStep | undefined;
  /**
   * The Lab screen's read of the agents and queues, on one Redis connection this service keeps (closed with it);
   * null without a lab. Its Redis code loads with the first read.
   */
  readOverview(): Promise<LabOverview | null>;
  /** Starts scraping (the primary process only); targets saved later start it too. */
  start(): void;
  close(): void;
}

export interface LabServiceDeps {
  env: NodeJS.ProcessEnv;
  /** The studio's data dir: the lab secret file may not be in it (docs/security.md). */
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  logError: (msg: string, e: unknown) => void;
}

/** The Redis part of the settings: when it changes, the running studio keeps its connection until restarted. */
function redisPart(s: LabSettings): string {
  return JSON.stringify([s.enabled, s.redisUrl, s.user, s.tls, s.caFile, s.secretFile]);
}

export function createLabService(deps: LabServiceDeps): LabService {
  const resolved = resolveLab(deps.env, deps.settings, deps.secrets, [deps.dataDir]);
  if (resolved.problem) deps.logError('the lab in Settings could not be used; the studio runs without it', new Error(resolved.problem));
  const atStart = readLabSettings(deps.settings);
  const bindings = new SecretBindings(deps.secrets, deps.settings);
  const passwordAtStart = labPassword(deps.secrets, deps.settings, atStart).value;
  let started = false;
  const latest = new Map<string, MonitorSample>();
  let monitorSink: HostSampleSink | null = null;
  const sink: HostSampleSink = (host, sample) => {
    latest.set(host, sample);
    monitorSink?.(host, sample);
  };
  const scraper = new NodeExporterScraper({ targets: atStart.targets, intervalMs: atStart.scrapeIntervalSec * 1000, timeoutMs: atStart.scrapeTimeoutSec * 1000, sink, logError: deps.logError });

  const config = resolved.config;
  let overview: Promise<LabOverviewReader> | null = null;
  const service: LabService = {
    resolved,
    sampleSource: labSampleSource({
      lab: config,
      connectScraper: (to) => {
        monitorSink = to;
      },
      logError: deps.logError,
    }),
    killStep: config ? async (o) => (await import('./labKill')).stopLab(config, o) : undefined,
    offlineMs: () => Number(deps.env.CHURCH_LAB_OFFLINE_MS) || readLabSettings(deps.settings).offlineSec * 1000,
    scraper,
    latestHostSamples: () => latest,
    settingsView() {
      const settings = readLabSettings(deps.settings);
      const bound = labPassword(deps.secrets, deps.settings, settings);
      const password = bound.value;
      return {
        settings,
        passwordSet: password !== null,
        passwordNote: bound.state === 'moved' ? labPasswordMovedNote(settings) : null,
        source: resolved.source,
        activeUrl: resolved.config ? maskRedisUrl(resolved.config.url) : null,
        restartNeeded: resolved.source !== 'environment' && (redisPart(settings) !== redisPart(atStart) || password !== passwordAtStart),
        problem: resolved.problem,
      };
    },
    saveSettings(s) {
      // One of the studio's own files (or any file in its data dir) is refused as the lab secret at once.
      if (s.secretFile) checkLabSecretPath(s.secretFile, [deps.dataDir]);
      const before = readLabSettings(deps.settings);
      const saved = writeLabSettings(deps.settings, s);
      // Another Redis without the password entered again: the one entered for the old Redis is cleared.
      bindings.follow(LAB_PASSWORD_SECRET, labDestination(before), labDestination(saved));
      scraper.configure({ targets: saved.targets, intervalMs: saved.scrapeIntervalSec * 1000, timeoutMs: saved.scrapeTimeoutSec * 1000 });
      if (!saved.targets.length) scraper.stop();
      else if (started) scraper.start();
      return service.settingsView();
    },
    setPassword(password) {
      bindings.store(LAB_PASSWORD_SECRET, labDestination(readLabSettings(deps.settings)), password);
      return service.settingsView();
    },
    async checkSaved() {
      const next = resolveLab(deps.env, deps.settings, deps.secrets, [deps.dataDir]);
      if (next.problem) throw new ChurchError('INVALID_INPUT', `the lab in these settings cannot be used: ${next.problem}`);
      if (!next.config) return;
      // Loaded here: ioredis only ever loads with a lab.
      const { checkLabReachable } = await import('./checkLab');
      await checkLabReachable(next.config);
    },
    async readOverview() {
      if (!config) return null;
      overview ??= import('./overview').then(({ LabOverviewReader }) => new LabOverviewReader(config));
      return (await overview).read(service.offlineMs());
    },
    start() {
      started = true;
      if (readLabSettings(deps.settings).targets.length) scraper.start();
    },
    close() {
      started = false;
      scraper.stop();
      void overview?.then((r) => r.close());
      overview = null;
    },
  };
  return service;
}
