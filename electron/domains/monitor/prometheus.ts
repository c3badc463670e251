import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { hostname, machine, release, type, version } from 'node:os';
import type { MonitorSample } from '../../../shared/dto/monitor';

// prom-client is loaded with the first exposition, so a studio that never serves metrics never pays for it.
const require = createRequire(import.meta.url);
const prom = (): typeof PromClient => require('prom-client') as typeof PromClient;

const UNAME = { sysname: type(), release: release(), version: version(), machine: machine(), nodename: hostname(), domainname: '(none)' };

/**
 * The newest sample in node_exporter's names and labels, so an existing Grafana dashboard works unchanged
 * (node_hwmon_temp_celsius{chip,sensor}, node_cpu_seconds_total{cpu,mode}, node_filesystem_avail_bytes…).
 * GPU figures follow nvidia_gpu_exporter (nvidia_smi_*). A sensor that is unavailable is left out, never 0.
 */
export class MetricsExposition {
  readonly registry = new (prom().Registry)();
  private readonly g;
  private readonly cpuSeconds;
  private readonly diskRead;
  private readonly diskWritten;
  private readonly netRx;
  private readonly netTx;

  constructor() {
    const registers = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[] = []) => new (prom().Gauge)({ name, help, labelNames, registers });
    const counter = (name: string, help: string, labelNames: string[]) => new (prom().Counter)({ name, help, labelNames, registers });
    this.cpuSeconds = counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', ['cpu', 'mode']);
    this.diskRead = counter('node_disk_read_bytes_total', 'The total number of bytes read successfully.', ['device']);
    this.diskWritten = counter('node_disk_written_bytes_total', 'The total number of bytes written successfully.', ['device']);
    this.netRx = counter('node_network_receive_bytes_total', 'Network device statistic receive_bytes.', ['device']);
    this.netTx = counter('node_network_transmit_bytes_total', 'Network device statistic transmit_bytes.', ['device']);
    this.g = {
      temp: gauge('node_hwmon_temp_celsius', 'Hardware monitor for temperature (input)', ['chip', 'sensor']),
      chipNames: gauge('node_hwmon_chip_names', 'Annotation metric for human-readable chip names', ['chip', 'chip_name']),
      sensorLabel: gauge('node_hwmon_sensor_label', 'Label for given chip and sensor', ['chip', 'sensor', 'label']),
      fan: gauge('node_hwmon_fan_rpm', 'Hardware monitor for fan revolutions per minute (input)', ['chip', 'sensor']),
      zone: gauge('node_thermal_zone_temp', 'Zone temperature in Celsius', ['type', 'zone']),
      memTotal: gauge('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.'),
      memAvail: gauge('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.'),
      swapTotal: gauge('node_memory_SwapTotal_bytes', 'Memory information field SwapTotal_bytes.'),
      swapFree: gauge('node_memory_SwapFree_bytes', 'Memory information field SwapFree_bytes.'),
      fsSize: gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', ['device', 'fstype', 'mountpoint']),
      fsAvail: gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', ['device', 'fstype', 'mountpoint']),
      fsFree: gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', ['device', 'fstype', 'mountpoint']),
      load1: gauge('node_load1', '1m load average.'),
      load5: gauge('node_load5', '5m load average.'),
      load15: gauge('node_load15', '15m load average.'),
      boot: gauge('node_boot_time_seconds', 'Node boot time, in unixtime.'),
      time: gauge('node_time_seconds', 'System time in seconds since epoch (1970).'),
      // Grafana's "Node Exporter Full" picks the host from node_uname_info{nodename}: without it the dashboard is empty.
      uname: gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', ['sysname', 'release', 'version', 'machine', 'nodename', 'domainname']),
      gpuTemp: gauge('nvidia_smi_temperature_gpu', 'temperature.gpu (°C)', ['uuid', 'name', 'index']),
      gpuUtil: gauge('nvidia_smi_utilization_gpu_ratio', 'utilization.gpu (0–1)', ['uuid', 'name', 'index']),
      gpuMemUsed: gauge('nvidia_smi_memory_used_bytes', 'memory.used', ['uuid', 'name', 'index']),
      gpuMemTotal: gauge('nvidia_smi_memory_total_bytes', 'memory.total', ['uuid', 'name', 'index']),
      gpuPower: gauge('nvidia_smi_power_draw_watts', 'power.draw', ['uuid', 'name', 'index']),
      up: gauge('church_monitor_sensor_up', '1 when the sensor answered in the newest sample, 0 when it is unavailable', ['sensor']),
      cost: gauge('church_monitor_sample_cpu_seconds', 'CPU time the newest sample cost the studio'),
    };
  }

  /** The render in progress or done last, and the sample it was for: every scrape of one sample shares it. */
  private last: { sample: MonitorSample | null; text: Promise<string> } | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * The Prometheus text format for one sample. The registry is shared state (reset, fill, then an async collect),
   * so renders run one after another: two scrapes at once must not reset the registry under each other. The text
   * is cached per sample, so scrapes between two samples cost nothing.
   */
  render(s: MonitorSample | null): Promise<string> {
    if (this.last && this.last.sample === s) return this.last.text;
    const text = this.chain.then(() => this.renderNow(s));
    this.chain = text.catch(() => undefined);
    this.last = { sample: s, text };
    // A failed render is not cached: the next scrape tries again.
    text.catch(() => {
      if (this.last?.text === text) this.last = null;
    });
    return text;
  }

  private async renderNow(s: MonitorSample | null): Promise<string> {
    this.registry.resetMetrics();
    if (!s) return this.registry.metrics();
    const g = this.g;
    for (const t of s.temps) {
      if (t.chip === 'thermal') {
        if (t.celsius !== null) g.zone.set({ type: t.chipName, zone: t.sensor.replace('thermal_zone', '') }, t.celsius);
        continue;
      }
      if (t.chip === 'cpu' && t.celsius === null) continue;
      g.chipNames.set({ chip: t.chip, chip_name: t.chipName }, 1);
      g.sensorLabel.set({ chip: t.chip, sensor: t.sensor, label: t.label }, 1);
      if (t.celsius !== null) g.temp.set({ chip: t.chip, sensor: t.sensor }, t.celsius);
    }
    for (const f of s.fans) if (f.rpm !== null) g.fan.set({ chip: f.chip, sensor: f.sensor }, f.rpm);
    for (const c of s.cpu.times ?? []) this.cpuSeconds.inc({ cpu: c.cpu, mode: c.mode }, c.seconds);
    const m = s.memory;
    if (m.totalBytes !== null) g.memTotal.set(m.totalBytes);
    if (m.availableBytes !== null) g.memAvail.set(m.availableBytes);
    if (m.swapTotalBytes !== null) g.swapTotal.set(m.swapTotalBytes);
    if (m.swapFreeBytes !== null) g.swapFree.set(m.swapFreeBytes);
    for (const d of s.disks) {
      const labels = { device: d.device, fstype: d.fsType, mountpoint: d.mount };
      if (d.sizeBytes !== null) g.fsSize.set(labels, d.sizeBytes);
      if (d.availBytes !== null) g.fsAvail.set(labels, d.availBytes);
      if (d.freeBytes !== null) g.fsFree.set(labels, d.freeBytes);
    }
    for (const d of s.diskIo) {
      this.diskRead.inc({ device: d.device }, d.readBytesTotal);
      this.diskWritten.inc({ device: d.device }, d.writtenBytesTotal);
    }
    for (const n of s.net) {
      this.netRx.inc({ device: n.iface }, n.rxBytesTotal);
      this.netTx.inc({ device: n.iface }, n.txBytesTotal);
    }
    if (s.load) {
      g.load1.set(s.load.one);
      g.load5.set(s.load.five);
      g.load15.set(s.load.fifteen);
    }
    if (s.uptimeSec !== null) g.boot.set(Math.round(s.at / 1000 - s.uptimeSec));
    g.time.set(s.at / 1000);
    g.uname.set(UNAME, 1);
    for (const gpu of s.gpus) {
      const labels = { uuid: gpu.uuid, name: gpu.name, index: String(gpu.index) };
      if (gpu.tempC !== null) g.gpuTemp.set(labels, gpu.tempC);
      if (gpu.utilPct !== null) g.gpuUtil.set(labels, gpu.utilPct / 100);
      if (gpu.memUsedBytes !== null) g.gpuMemUsed.set(labels, gpu.memUsedBytes);
      if (gpu.memTotalBytes !== null) g.gpuMemTotal.set(labels, gpu.memTotalBytes);
      if (gpu.powerW !== null) g.gpuPower.set(labels, gpu.powerW);
    }
    for (const r of s.readings) g.up.set({ sensor: r.id }, r.value === null ? 0 : 1);
    g.cost.set(s.costMs / 1000);
    return this.registry.metrics();
  }
}
