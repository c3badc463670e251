import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeExporterScraper } from '../../electron/domains/lab/nodeExporter/NodeExporterScraper';
import { readNodeExporterPage } from '../../electron/domains/lab/nodeExporter/nodeExporterPage';
import type { MonitorSample } from '../../shared/dto/monitor';
import { nodeExporterAvailable, recordedPage, serveOn, startNodeExporter } from '../helpers/nodeExporter';

/** The recorded page a little later: 10 s of CPU time per core (half of it idle) and 1 MB in/200 KB out on enp3s0. */
function laterPage(page: string): string {
  const bump = (re: RegExp, by: number) => (text: string) => text.replace(re, (_, head: string, v: string) => `${head}${Number(v) + by}`);
  return [
    bump(/^(node_cpu_seconds_total\{cpu="\d",mode="idle"\} )(\S+)$/gm, 5),
    bump(/^(node_cpu_seconds_total\{cpu="\d",mode="user"\} )(\S+)$/gm, 5),
    bump(/^(node_network_receive_bytes_total\{device="enp3s0"\} )(\S+)$/gm, 1_000_000),
    bump(/^(node_network_transmit_bytes_total\{device="enp3s0"\} )(\S+)$/gm, 200_000),
  ].reduce((text, f) => f(text), page);
}

const byId = (s: MonitorSample, id: string) => s.readings.find((r) => r.id === id);

describe('node_exporter targets', () => {
  const samples: { host: string; sample: MonitorSample }[] = [];
  let server: Awaited<ReturnType<typeof serveOn>>;
  let hits = 0;

  beforeAll(async () => {
    const page = recordedPage();
    server = await serveOn((res, path) => {
      if (path === '/metrics') {
        hits += 1;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(hits === 1 ? page : laterPage(page));
      } else if (path === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      } else if (path === '/hang') {
        // never answers: the scrape's timeout must end it
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('404 page not found\n');
      }
    });
  });
  afterAll(() => server.close());

  it('maps a recorded node_exporter page onto the monitor readings, rates from the next page', async () => {
    const url = `${server.url}/metrics`;
    const scraper = new NodeExporterScraper({ targets: [url], intervalMs: 60_000, timeoutMs: 10_000, sink: (host, sample) => samples.push({ host, sample }) });
    expect(scraper.view()[0]).toMatchObject({ url, state: 'pending', error: null });

    const [first] = await scraper.scrapeAll();
    expect(first).toMatchObject({ url, state: 'up', host: 'gpu-box', error: null });
    expect(first!.lastScrape).not.toBeNull();
    const s1 = samples[0]!.sample;
    expect(samples[0]!.host).toBe('gpu-box');
    expect(s1.source).toBe('node-exporter');
    expect(s1.platform).toBe('linux');
    // Temperatures: hwmon sensors with their labels and the thermal zones.
    expect(byId(s1, 'cpu.temp:platform_coretemp_0/temp1')).toMatchObject({ value: 71, label: 'Package id 0' });
    expect(byId(s1, 'cpu.temp:platform_coretemp_0/temp2')).toMatchObject({ value: 69, label: 'Core 0' });
    expect(byId(s1, 'temp.other:nvme_nvme0/temp1')).toMatchObject({ value: 38.85, label: 'Composite (nvme)' });
    expect(byId(s1, 'temp.other:thermal/thermal_zone0')?.value).toBe(27.8);
    expect(byId(s1, 'fan.rpm:platform_nct6775_656/fan2')?.value).toBe(1124);
    // Memory and swap, disks that hold data (tmpfs left out), load, uptime from node_time - node_boot_time.
    expect(byId(s1, 'mem.used_pct')?.value).toBeCloseTo((1 - 2.31115776e10 / 2.527602688e10) * 100, 0);
    expect(byId(s1, 'swap.used_pct')?.value).toBe(50);
    expect(byId(s1, 'disk.used_pct:/srv/media')?.value).toBe(70);
    expect(byId(s1, 'disk.used_pct:/run')).toBeUndefined();
    expect(byId(s1, 'load.1')?.value).toBe(5.39);
    expect(byId(s1, 'uptime')?.value).toBe(Math.round(1.7959047363195128e9 - 1.795893489e9));
    // Rates need two pages: the first says so instead of showing 0.
    expect(byId(s1, 'cpu.load')).toMatchObject({ value: null, reason: expect.stringContaining('two samples') });
    expect(byId(s1, 'net.rx_bps:enp3s0')?.value).toBeNull();
    expect(byId(s1, 'net.rx_bps:lo')).toBeUndefined();
    expect(s1.unavailable.map((u) => u.sensor)).toEqual(['gpu']);

    await scraper.scrapeAll();
    const s2 = samples[1]!.sample;
    // 5 s user of every 10 s per core: 50 % busy.
    expect(byId(s2, 'cpu.load')?.value).toBe(50);
    expect(byId(s2, 'cpu.core_load:1')?.value).toBe(50);
    const secs = (s2.at - s1.at) / 1000;
    expect(byId(s2, 'net.rx_bps:enp3s0')?.value).toBe(Math.round(1_000_000 / secs));
    expect(byId(s2, 'net.tx_bps:enp3s0')?.value).toBe(Math.round(200_000 / secs));
    expect(scraper.view()[0]!.summary).toMatchObject({ cpuPct: 50, hottestC: 71, load1: 5.39 });
  });

  it('shows a target that refuses, hangs, answers 404 or serves something else as down with why', async () => {
    const closed = await serveOn(() => undefined);
    const refusedUrl = `${closed.url}/metrics`;
    await closed.close();
    const targets = [refusedUrl, `${server.url}/hang`, `${server.url}/nothing`, `${server.url}/html`];
    const sink: string[] = [];
    const scraper = new NodeExporterScraper({ targets, intervalMs: 60_000, timeoutMs: 1500, sink: (host) => sink.push(host) });
    const view = await scraper.scrapeAll();
    expect(view.map((t) => t.state)).toEqual(['down', 'down', 'down', 'down']);
    expect(view[0]!.error).toMatch(/refused the connection; is node_exporter running there/);
    expect(view[1]!.error).toMatch(/did not answer within 1.5 s/);
    expect(view[2]!.error).toMatch(/HTTP 404/);
    expect(view[2]!.error).toMatch(/check the URL/);
    expect(view[3]!.error).toMatch(/not with node_exporter metrics/);
    expect(view.every((t) => t.lastScrape !== null && t.summary === null)).toBe(true);
    expect(sink).toEqual([]);
  });

  it('refuses text that merely parses: another exporter, garbage', () => {
    expect(() => readNodeExporterPage('# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 3\n')).toThrow(/no node_exporter metrics/);
    expect(() => readNodeExporterPage('garbage { here\n\u0000\u0001')).toThrow(/not in the Prometheus text format|no node_exporter metrics/);
  });

  it.runIf(nodeExporterAvailable())('scrapes the real prometheus-node-exporter of this machine', async () => {
    const exporter = await startNodeExporter();
    try {
      const got: MonitorSample[] = [];
      const scraper = new NodeExporterScraper({ targets: [exporter.url], intervalMs: 60_000, timeoutMs: 20_000, sink: (_h, s) => got.push(s) });
      const [t] = await scraper.scrapeAll();
      expect(t, t?.error ?? '').toMatchObject({ state: 'up', error: null });
      await scraper.scrapeAll();
      const s = got[1]!;
      expect(s.memory.totalBytes).toBeGreaterThan(0);
      expect(byId(s, 'cpu.load')?.value).toEqual(expect.any(Number));
      expect(s.cpu.coresPct.length).toBeGreaterThan(0);
      expect(s.uptimeSec).toBeGreaterThan(0);
      expect(s.disks.length).toBeGreaterThan(0);
    } finally {
      await exporter.stop();
    }
  });
  if (!nodeExporterAvailable()) console.warn('skipped the real node_exporter case: /usr/bin/prometheus-node-exporter is not installed (apt-get install prometheus-node-exporter)');
});
