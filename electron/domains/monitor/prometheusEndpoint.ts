import type { Server } from 'node:http';
import { isLoopbackAddress } from '../../../shared/contract/ip';
import type { PrometheusSettings } from '../../../shared/dto/monitor';
import { ChurchError } from '../../../shared/errors';
import { startMetricsServer } from './metricsServer';

export interface PrometheusEndpointDeps {
  /** The settings saved last: read when a change is applied, not when it is queued. */
  settings(): PrometheusSettings;
  token(): string | null;
  render(): Promise<string>;
  contentType(): string;
  logError(message: string, e: unknown): void;
}

/**
 * The /metrics listener's lifecycle: started, moved or stopped to match the settings, one change at a time (a
 * save while a previous one is still binding waits for it), and refused off loopback without a bearer token.
 */
export class PrometheusEndpoint {
  private server: Server | null = null;
  private port: number | null = null;
  private bind: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: PrometheusEndpointDeps) {}

  /** Where a scraper reaches it, or null while it is not listening. */
  url(): string | null {
    if (!this.server || !this.port) return null;
    const bind = this.bind ?? '127.0.0.1';
    const host = bind === '0.0.0.0' || bind === '::' ? '<this machine>' : bind.includes(':') ? `[${bind}]` : bind;
    return `http://${host}:${this.port}/metrics`;
  }

  apply(): Promise<void> {
    return this.serial(() => this.applyNow());
  }

  close(): Promise<void> {
    this.closed = true;
    return this.serial(() => this.stop());
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(): Promise<void> {
    const want = this.deps.settings();
    const bind = want.bindAddress ?? '127.0.0.1';
    const open = !isLoopbackAddress(bind);
    const tokenMissing = open && !this.deps.token();
    if (this.server && (!want.enabled || want.port !== this.port || bind !== this.bind || tokenMissing)) await this.stop();
    if (!want.enabled || this.server || this.closed) return;
    if (tokenMissing) {
      const msg = `listening on ${bind} lets other machines scrape: set a bearer token first (Settings → Monitor → Prometheus → Bearer token), or keep the bind address 127.0.0.1`;
      this.deps.logError('monitor: the Prometheus endpoint did not start', new Error(msg));
      throw new ChurchError('FORBIDDEN', `the Prometheus endpoint did not start: ${msg}`);
    }
    try {
      this.server = await startMetricsServer({
        port: want.port,
        bindAddress: bind,
        hostNames: () => this.deps.settings().hostNames ?? [],
        token: () => this.deps.token(),
        render: () => this.deps.render(),
        contentType: this.deps.contentType(),
        onError: (e) => this.deps.logError('monitor: the Prometheus endpoint had an error', e),
      });
      this.port = want.port;
      this.bind = bind;
      if (this.closed) await this.stop();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const msg =
        code === 'EADDRINUSE'
          ? `port ${want.port} is taken by another program; pick another port in Settings → Monitor`
          : code === 'EADDRNOTAVAIL'
            ? `${bind} is not an address of this machine; pick one of its own addresses (or 0.0.0.0 for all) in Settings → Monitor → Prometheus`
            : (e as Error).message;
      this.deps.logError('monitor: the Prometheus endpoint could not start', new Error(msg));
      throw new ChurchError('UNAVAILABLE', `the Prometheus endpoint could not start: ${msg}`);
    }
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.port = null;
    this.bind = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
