import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MetricsExposition } from '../../electron/domains/monitor';
import { startMetricsServer } from '../../electron/domains/monitor/metricsServer';
import { DEFAULT_MONITOR_SETTINGS } from '../../shared/contract/monitor';
import { FixtureTree, makeFixtureMonitor, GPU_LINE_HOT, makeNvidiaSmiStreamStandin } from '../helpers/monitor';
import { waitFor } from '../helpers/waitFor';
import { freePort } from '../helpers/freePort';

interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text exposition format (0.0.4): every line must be a comment or a sample. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: PromSample[] } {
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text format: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
      let consumed = 0;
      for (let l = re.exec(m[2]); l; l = re.exec(m[2])) {
        labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
        consumed += l[0].length;
      }
      if (consumed !== m[2].length) throw new Error(`bad labels in ${line}`);
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Prometheus endpoint', () => {
  it('serves node_exporter-style metrics on 127.0.0.1/metrics, scraped over real HTTP and parsed', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    const gpu = makeNvidiaSmiStreamStandin([GPU_LINE_HOT]);
    const m = makeFixtureMonitor(f.root, {}, { CHURCH_NVIDIA_SMI: gpu.bin });
    const port = await freePort();
    m.monitor.start();
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port } });
    // The sampling monitor reads GPUs from its streaming nvidia-smi: wait for its first lines.
    await waitFor('the GPU line streamed', () => m.monitor.gpuReader?.read().gpus.length === 1);
    expect(m.monitor.getSettings().prometheusUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    await m.monitor.tick();
    f.runCpu([50, 50, 50, 50]);
    await m.monitor.tick();

    const res = await get(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(res.body);
    const one = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

    expect(one('node_hwmon_temp_celsius', { chip: 'platform_coretemp_0', sensor: 'temp1' }).map((s) => s.value)).toEqual([95]);
    expect(one('node_hwmon_sensor_label', { chip: 'platform_coretemp_0', sensor: 'temp2' })[0]?.labels.label).toBe('Core 0');
    expect(one('node_hwmon_chip_names', { chip: 'platform_coretemp_0' })[0]?.labels.chip_name).toBe('coretemp');
    expect(one('node_hwmon_fan_rpm', { sensor: 'fan1' }).map((s) => s.value)).toEqual([1200]);
    expect(one('node_thermal_zone_temp', { type: 'acpitz', zone: '0' }).map((s) => s.value)).toEqual([27.8]);
    expect(types.get('node_cpu_seconds_total')).toBe('counter');
    expect(one('node_cpu_seconds_total', { cpu: '2', mode: 'idle' }).map((s) => s.value)).toEqual([900.5]);
    expect(one('node_memory_MemAvailable_bytes')[0]?.value).toBe(12 * 1024 ** 3);
    expect(one('node_memory_MemTotal_bytes')[0]?.value).toBe(16 * 1024 ** 3);
    expect(one('node_filesystem_avail_bytes', { mountpoint: '/', fstype: 'ext4', device: '/dev/sda1' })[0]?.value).toBe(350_000 * 4096);
    expect(one('node_filesystem_size_bytes', { mountpoint: '/srv/media library' })).toHaveLength(1);
    expect(one('node_disk_read_bytes_total', { device: 'sda' })[0]?.value).toBe(1_000_000 * 512);
    expect(one('node_network_receive_bytes_total', { device: 'eth0' })[0]?.value).toBe(5_000_000);
    expect(one('node_load1')[0]?.value).toBe(0.52);
    expect(one('nvidia_smi_temperature_gpu', { index: '0', name: 'NVIDIA GeForce RTX 4090' })[0]?.value).toBe(92);
    expect(one('nvidia_smi_power_draw_watts')[0]?.value).toBe(420.5);
    // Unavailable sensors are absent from the node_* families and flagged 0 in church_monitor_sensor_up.
    expect(one('church_monitor_sensor_up', { sensor: 'swap.used_pct' })[0]?.value).toBe(1);
    expect(samples.every((s) => Number.isFinite(s.value))).toBe(true);

    expect((await get(port, '/')).status).toBe(404);
    await m.close();
    await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is off by default; turning it off in settings closes the port; a taken port is a clear error', async () => {
    const f = FixtureTree.healthy();
    const m = makeFixtureMonitor(f.root);
    m.monitor.start();
    expect(m.monitor.getSettings().prometheusUrl).toBeNull();
    const port = await freePort();
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port } });
    expect((await get(port, '/metrics')).status).toBe(200);
    const other = makeFixtureMonitor(f.root);
    other.monitor.start();
    await expect(other.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, prometheus: { enabled: true, port } })).rejects.toThrow(/port \d+ is taken by another program/);
    await other.close();
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000 });
    await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
    await m.close();
  });

  it('renders one after another and once per sample: overlapping renders each come out complete, 20 scrapes of one sample render once', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    const m = makeFixtureMonitor(f.root);
    await m.monitor.tick();
    f.runCpu([50, 50, 50, 50]);
    const sample = await m.monitor.tick();
    const x = new MetricsExposition();
    const solo = await x.render(sample);
    const empty = await x.render(null);
    const names = (text: string) => parsePrometheus(text).samples.map((p) => p.name);
    expect(names(solo)).toContain('church_monitor_sample_cpu_seconds');
    // Started together: without serialising, the second render resets the registry under the first's collection.
    const copy = { ...sample };
    const [a, b, c] = await Promise.all([x.render(sample), x.render(null), x.render(copy)]);
    expect(a).toBe(solo);
    expect(b).toBe(empty);
    expect(c).toBe(solo);
    // Between two samples every scrape shares one render (the registry is reset and refilled once).
    let resets = 0;
    const reset = x.registry.resetMetrics.bind(x.registry);
    x.registry.resetMetrics = () => {
      resets++;
      reset();
    };
    const next = { ...sample };
    const texts = await Promise.all(Array.from({ length: 20 }, () => x.render(next)));
    expect(resets).toBe(1);
    expect(new Set(texts)).toEqual(new Set([solo]));
    await m.close();
  });

  it('concurrent scrapes over HTTP all get the complete text; an error on the listening server is logged, not thrown', async () => {
    const f = FixtureTree.healthy({ pkgC: 95 });
    const m = makeFixtureMonitor(f.root);
    const port = await freePort();
    m.monitor.start();
    await m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port } });
    f.runCpu([50, 50, 50, 50]);
    await m.monitor.tick();
    const bodies = await Promise.all(Array.from({ length: 20 }, () => get(port, '/metrics')));
    expect(bodies.every((b) => b.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.body)).size).toBe(1);
    const { samples } = parsePrometheus(bodies[0]!.body);
    expect(samples.some((p) => p.name === 'node_hwmon_temp_celsius' && p.value === 95)).toBe(true);
    expect(samples.some((p) => p.name === 'church_monitor_sample_cpu_seconds')).toBe(true);
    await m.close();

    // EMFILE on accept reaches the server as an 'error' event after listen: with no listener Node would throw.
    const errors: Error[] = [];
    const server = await startMetricsServer({ port: await freePort(), render: async () => 'up 1\n', contentType: 'text/plain', onError: (e) => errors.push(e) });
    expect(() => server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }))).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['accept EMFILE']);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('two overlapping setSettings start one endpoint, and after close() nothing listens on either port', async () => {
    const f = FixtureTree.healthy();
    const m = makeFixtureMonitor(f.root);
    m.monitor.start();
    const [p1, p2] = [await freePort(), await freePort()];
    await Promise.all([
      m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port: p1 } }),
      m.monitor.setSettings({ ...DEFAULT_MONITOR_SETTINGS, intervalMs: 60_000, prometheus: { enabled: true, port: p2 } }),
    ]);
    // The settings saved last win.
    expect(m.monitor.getSettings().prometheusUrl).toBe(`http://127.0.0.1:${p2}/metrics`);
    await expect(get(p1, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
    await m.close();
    await expect(get(p1, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
    await expect(get(p2, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });
});
