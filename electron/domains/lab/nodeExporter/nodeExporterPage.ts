import parsePrometheusTextFormat, { type Labels, type MetricFamily } from 'parse-prometheus-text-format';

/** One node_exporter page as the values the monitor needs: gauges as they are, counters for rates against the next page. */
export interface NodeExporterPage {
  /** node_uname_info's nodename, when the exporter reports it. */
  nodename: string | null;
  sysname: string | null;
  /** cpu → mode → seconds since boot (node_cpu_seconds_total). */
  cpuSeconds: Map<string, Map<string, number>>;
  memory: { total: number | null; available: number | null; swapTotal: number | null; swapFree: number | null };
  filesystems: { mount: string; device: string; fsType: string; size: number | null; avail: number | null; free: number | null }[];
  diskBytes: { device: string; read: number; written: number }[];
  netBytes: { iface: string; rx: number; tx: number }[];
  hwmonTemps: { chip: string; chipName: string; sensor: string; label: string | null; celsius: number }[];
  hwmonFans: { chip: string; chipName: string; sensor: string; label: string | null; rpm: number }[];
  thermalZones: { zone: string; type: string; celsius: number }[];
  load: { one: number; five: number; fifteen: number } | null;
  bootTime: number | null;
  time: number | null;
}

export class NotNodeExporterError extends Error {}

interface Sample {
  labels: Labels;
  value: number;
}

function num(raw: string | undefined): number {
  if (raw === undefined) return Number.NaN;
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(raw);
}

/** Plain (gauge, counter, untyped) samples of every family; histograms and summaries are not needed here. */
function plainSamples(families: MetricFamily[]): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const f of families) {
    if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY') continue;
    const list: Sample[] = [];
    for (const m of f.metrics) {
      if (!('value' in m)) continue;
      const value = num(m.value);
      if (Number.isFinite(value)) list.push({ labels: m.labels ?? {}, value });
    }
    out.set(f.name, list);
  }
  return out;
}

/** "platform_coretemp_0" → "coretemp" when the exporter sent no node_hwmon_chip_names for it. */
function chipNameFromId(chip: string): string {
  return chip.replace(/^(platform|pci\d*|i2c|acpi|nvme|virtual)_/, '').replace(/_\d+$/, '').replace(/_[\da-f]{4}_[\da-f]{2}_[\da-f]{2}_\d$/, '');
}

/**
 * Reads a node_exporter text page (format 0.0.4, what node_exporter 1.x serves at /metrics). Throws
 * NotNodeExporterError for a page that is not one (an HTML error page, another exporter, garbage): the prometheus
 * parser is lenient and would turn most text into some metric, so a page must carry node_* families to count.
 */
export function readNodeExporterPage(text: string): NodeExporterPage {
  let families: MetricFamily[];
  try {
    families = parsePrometheusTextFormat(text);
  } catch (e) {
    throw new NotNodeExporterError(`the page is not in the Prometheus text format (${(e as Error).message})`);
  }
  const s = plainSamples(families);
  const known = ['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_load1', 'node_filesystem_size_bytes', 'node_boot_time_seconds'];
  if (!known.some((name) => s.has(name))) {
    throw new NotNodeExporterError('the page has no node_exporter metrics (node_cpu_seconds_total, node_memory_MemTotal_bytes, node_load1…)');
  }
  const all = (name: string) => s.get(name) ?? [];
  const one = (name: string): number | null => all(name)[0]?.value ?? null;

  const cpuSeconds = new Map<string, Map<string, number>>();
  for (const { labels, value } of all('node_cpu_seconds_total')) {
    if (labels.cpu === undefined || labels.mode === undefined) continue;
    const modes = cpuSeconds.get(labels.cpu) ?? new Map<string, number>();
    modes.set(labels.mode, value);
    cpuSeconds.set(labels.cpu, modes);
  }

  const byMount = new Map<string, NodeExporterPage['filesystems'][number]>();
  const fsField = (name: string, field: 'size' | 'avail' | 'free') => {
    for (const { labels, value } of all(name)) {
      if (!labels.mountpoint) continue;
      const entry = byMount.get(labels.mountpoint) ?? { mount: labels.mountpoint, device: labels.device ?? '', fsType: labels.fstype ?? '', size: null, avail: null, free: null };
      entry[field] = value;
      byMount.set(labels.mountpoint, entry);
    }
  };
  fsField('node_filesystem_size_bytes', 'size');
  fsField('node_filesystem_avail_bytes', 'avail');
  fsField('node_filesystem_free_bytes', 'free');

  const pairs = (a: string, b: string, key: string) => {
    const second = new Map(all(b).map((x) => [x.labels[key] ?? '', x.value]));
    return all(a).filter((x) => x.labels[key] !== undefined).map((x) => ({ name: x.labels[key]!, first: x.value, second: second.get(x.labels[key]!) ?? 0 }));
  };

  const chipNames = new Map(all('node_hwmon_chip_names').map((x) => [x.labels.chip ?? '', x.labels.chip_name ?? '']));
  const sensorLabels = new Map(all('node_hwmon_sensor_label').map((x) => [`${x.labels.chip}/${x.labels.sensor}`, x.labels.label ?? '']));
  const hwmon = (name: string) =>
    all(name)
      .filter((x) => x.labels.chip && x.labels.sensor)
      .map((x) => {
        const chip = x.labels.chip!;
        const sensor = x.labels.sensor!;
        return { chip, chipName: chipNames.get(chip) || chipNameFromId(chip), sensor, label: sensorLabels.get(`${chip}/${sensor}`) || null, value: x.value };
      });

  const load1 = one('node_load1');
  const uname = all('node_uname_info')[0]?.labels;
  return {
    nodename: uname?.nodename ?? null,
    sysname: uname?.sysname ?? null,
    cpuSeconds,
    memory: {
      total: one('node_memory_MemTotal_bytes'),
      available: one('node_memory_MemAvailable_bytes'),
      swapTotal: one('node_memory_SwapTotal_bytes'),
      swapFree: one('node_memory_SwapFree_bytes'),
    },
    filesystems: [...byMount.values()],
    diskBytes: pairs('node_disk_read_bytes_total', 'node_disk_written_bytes_total', 'device').map((p) => ({ device: p.name, read: p.first, written: p.second })),
    netBytes: pairs('node_network_receive_bytes_total', 'node_network_transmit_bytes_total', 'device').map((p) => ({ iface: p.name, rx: p.first, tx: p.second })),
    hwmonTemps: hwmon('node_hwmon_temp_celsius').map(({ value, ...rest }) => ({ ...rest, celsius: value })),
    hwmonFans: hwmon('node_hwmon_fan_rpm').map(({ value, ...rest }) => ({ ...rest, rpm: value })),
    thermalZones: all('node_thermal_zone_temp').map((x) => ({ zone: x.labels.zone ?? '?', type: x.labels.type ?? 'thermal', celsius: x.value })),
    load: load1 === null ? null : { one: load1, five: one('node_load5') ?? load1, fifteen: one('node_load15') ?? load1 },
    bootTime: one('node_boot_time_seconds'),
    time: one('node_time_seconds'),
  };
}
