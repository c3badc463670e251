import type { ScrapeTarget } from '../../../../shared/dto/lab';
import type { MonitorSample } from '../../../../shared/dto/monitor';
import { NotNodeExporterError, readNodeExporterPage } from './nodeExporterPage';
import { sampleFromPage, type ScrapedPage } from './nodeExporterSample';

/** Where per-host readings go (the lab's per-host sample store); the scraper knows nothing else of it. */
export type HostSampleSink = (host: string, sample: MonitorSample) => void;

export interface ScraperOptions {
  targets: string[];
  intervalMs: number;
  timeoutMs: number;
  sink?: HostSampleSink;
  logError?: (msg: string, e: unknown) => void;
}

/** node_exporter's full page is ~100–300 KB; anything far larger is not one and must not fill memory. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

interface TargetSlot {
  view: ScrapeTarget;
  last: ScrapedPage | null;
  inFlight: boolean;
}

function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeFailure(url: string, e: unknown, timeoutMs: number): string {
  const where = hostOfUrl(url);
  if (e instanceof NotNodeExporterError) return `${where} answered, but not with node_exporter metrics: ${e.message}; check the URL (node_exporter serves http://HOST:9100/metrics)`;
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `${where} did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s; check that the host is up and node_exporter is not stuck`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return `${where} refused the connection; is node_exporter running there, on that port?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name in ${url} is not known; check the target URL`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} cannot be reached from here; check the network`;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `the TLS certificate of ${where} is not trusted here (${code}); use a certificate from a CA this machine trusts, or http://`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `${where} closed the connection mid-answer; check node_exporter's log there`;
  return `${where}: ${err.cause?.message ?? err.message}`;
}

async function readBody(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PAGE_BYTES) {
      await reader.cancel();
      throw new NotNodeExporterError(`the page is larger than ${MAX_PAGE_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One scrape of one target: the page's text, or a thrown error (HTTP status, timeout, refused, too large). */
export async function fetchMetricsPage(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1' }, redirect: 'follow' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new NotNodeExporterError(`HTTP ${res.status} ${res.statusText}`.trim());
  }
  return readBody(res);
}

/**
 * Scrapes node_exporter targets on an interval and keeps each one's state; a target that is down is shown as
 * down with why, never thrown. A slow target never delays the others, and never overlaps its own next scrape.
 */
export class NodeExporterScraper {
  private slots = new Map<string, TargetSlot>();
  private timer: NodeJS.Timeout | null = null;
  private opts: ScraperOptions;

  constructor(opts: ScraperOptions) {
    this.opts = opts;
    this.setTargets(opts.targets);
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Replaces the target list; targets that stay keep their state and rate baseline. */
  setTargets(targets: string[]): void {
    const next = new Map<string, TargetSlot>();
    for (const url of targets) {
      next.set(url, this.slots.get(url) ?? { view: { url, state: 'pending', host: hostOfUrl(url), lastScrape: null, lastSuccess: null, error: null, durationMs: null, summary: null }, last: null, inFlight: false });
    }
    this.slots = next;
  }

  configure(o: Pick<ScraperOptions, 'targets' | 'intervalMs' | 'timeoutMs'>): void {
    const intervalChanged = o.intervalMs !== this.opts.intervalMs;
    this.opts = { ...this.opts, ...o };
    this.setTargets(o.targets);
    if (this.timer && intervalChanged) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (this.timer) return;
    void this.scrapeAll();
    this.timer = setInterval(() => void this.scrapeAll(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  view(): ScrapeTarget[] {
    return [...this.slots.values()].map((s) => ({ ...s.view }));
  }

  /** Scrapes every target once, side by side; resolves when all have answered or failed. */
  async scrapeAll(): Promise<ScrapeTarget[]> {
    await Promise.all([...this.slots.values()].map((slot) => this.scrape(slot)));
    return this.view();
  }

  private async scrape(slot: TargetSlot): Promise<void> {
    if (slot.inFlight) return;
    slot.inFlight = true;
    const started = Date.now();
    try {
      const text = await fetchMetricsPage(slot.view.url, this.opts.timeoutMs);
      const cpu = process.cpuUsage();
      const page = readNodeExporterPage(text);
      const scraped: ScrapedPage = { page, at: Date.now() };
      const used = process.cpuUsage(cpu);
      const sample = sampleFromPage(scraped, slot.last, (used.user + used.system) / 1000);
      slot.last = scraped;
      const host = page.nodename ?? hostOfUrl(slot.view.url);
      const hottest = sample.temps.reduce<number | null>((max, t) => (t.celsius !== null && (max === null || t.celsius > max) ? t.celsius : max), null);
      slot.view = {
        ...slot.view,
        state: 'up',
        host,
        lastScrape: new Date().toISOString(),
        lastSuccess: new Date().toISOString(),
        error: null,
        durationMs: Date.now() - started,
        summary: { cpuPct: sample.cpu.totalPct, memUsedPct: sample.memory.usedPct, hottestC: hottest, load1: sample.load?.one ?? null, uptimeSec: sample.uptimeSec },
      };
      try {
        this.opts.sink?.(host, sample);
      } catch (e) {
        this.opts.logError?.(`the readings of ${host} could not be stored`, e);
      }
    } catch (e) {
      slot.view = { ...slot.view, state: 'down', lastScrape: new Date().toISOString(), error: describeFailure(slot.view.url, e, this.opts.timeoutMs), durationMs: Date.now() - started };
    } finally {
      slot.inFlight = false;
    }
  }
}
