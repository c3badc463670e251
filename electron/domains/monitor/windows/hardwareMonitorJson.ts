import { request } from 'node:http';
import type { FanSensor, TempKind, TempSensor } from '../../../../shared/dto/monitor';

/** One node of LibreHardwareMonitor's / OpenHardwareMonitor's `data.json` tree (Options → Remote Web Server). */
export interface HwmNode {
  id?: number;
  Text?: string;
  Value?: string;
  ImageURL?: string;
  /** LibreHardwareMonitor only: "/intelcpu/0/temperature/0", "/gpu-nvidia/0/fan/1", "/lpc/nct6798d/fan/0". */
  SensorId?: string;
  /** LibreHardwareMonitor only: "Temperature", "Fan", "Load", … */
  Type?: string;
  Children?: HwmNode[];
}

export const LHM_DEFAULT_URL = 'http://127.0.0.1:8085/data.json';

export const INSTALL_HINT =
  'Windows has no reliable temperature source of its own: install LibreHardwareMonitor (or OpenHardwareMonitor), run it as administrator and turn on Options → Remote Web Server (port 8085); the studio reads its sensors from there';

type Hardware = 'cpu' | 'gpu' | 'drive' | 'board' | 'other';

function hardwareOf(imageUrl: string | undefined, sensorId: string | undefined): Hardware {
  const id = sensorId ?? '';
  if (/^\/(intelcpu|amdcpu|cpu)\//.test(id)) return 'cpu';
  if (/^\/(gpu-|nvidiagpu|atigpu|amdgpu|intelgpu)/.test(id)) return 'gpu';
  if (/^\/(hdd|nvme|ssd|storage)/.test(id)) return 'drive';
  if (/^\/(lpc|mainboard|superio|ec)\//.test(id)) return 'board';
  const img = imageUrl ?? '';
  if (/cpu\.png$/.test(img)) return 'cpu';
  if (/(nvidia|ati|amd|intel|gpu)\.png$/.test(img)) return 'gpu';
  if (/hdd\.png$/.test(img)) return 'drive';
  if (/(mainboard|chip|superio)\.png$/.test(img)) return 'board';
  return 'other';
}

/** "54,0 °C", "54.0 °C", "1200 RPM", "1 234 RPM" → number; "" or "-" → null. Decimal comma: the tool's locale. */
export function parseHwmValue(v: string | undefined): number | null {
  const m = /^\s*(-?[\d\s\u00a0.,]*\d)\s*(°C|RPM|%|W|V|MHz|GB|MB)?\s*$/.exec(v ?? '');
  if (!m) return null;
  let n = m[1]!.replace(/[\s\u00a0]/g, '');
  // "1.234,5" (German) / "1,234.5" (English): the last separator is the decimal one.
  const lastComma = n.lastIndexOf(',');
  const lastDot = n.lastIndexOf('.');
  if (lastComma > lastDot) n = n.replace(/\./g, '').replace(',', '.');
  else n = n.replace(/,/g, '');
  const x = Number(n);
  return Number.isFinite(x) ? x : null;
}

const GROUPS = /^(temperatures|fans|controls|load|clocks|voltages|powers|data|levels|factors|throughput|small data|energy|noise|timings|currents|frequencies|flows|humidity)$/i;

/** Sensors that are derived, not measured (LibreHardwareMonitor's "Core Max", "Distance to TjMax"): left out. */
const DERIVED = /(distance to tjmax|core max|core average|^max$|^average$)/i;

function cpuKind(label: string): TempKind {
  if (/core\s*#?\d+/i.test(label) && !/package/i.test(label)) return 'cpu-core';
  if (/package|tctl|tdie|cpu\s*\(tctl|^core \(tctl/i.test(label)) return 'cpu-package';
  return 'cpu-package';
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'x';
}

/**
 * CPU, GPU, drive and board temperatures and every fan from a data.json tree. The hardware is told by
 * LibreHardwareMonitor's SensorId where present, else by the icon OpenHardwareMonitor gives the hardware node.
 */
export function parseHardwareMonitorJson(root: HwmNode): { temps: TempSensor[]; fans: FanSensor[] } {
  const temps: TempSensor[] = [];
  const fans: FanSensor[] = [];
  const seen = new Set<string>();
  const unique = (id: string) => {
    let u = id;
    for (let i = 2; seen.has(u); i++) u = `${id}_${i}`;
    seen.add(u);
    return u;
  };
  const walk = (node: HwmNode, hardware: { name: string; kind: Hardware } | null, group: string, depth: number) => {
    const children = node.Children ?? [];
    const isGroup = children.length > 0 && GROUPS.test(node.Text ?? '');
    let hw = hardware;
    if (depth >= 2 && children.length > 0 && !isGroup) {
      const own = hardwareOf(node.ImageURL, undefined);
      // A board's Super I/O chip is part of the board; a hardware node of its own kind starts a new one.
      hw = { name: node.Text ?? 'hardware', kind: own === 'other' && hardware ? hardware.kind : own };
    }
    if (children.length === 0) {
      if (!hw) return;
      const type = node.Type ?? (/^temperatures$/i.test(group) ? 'Temperature' : /^fans$/i.test(group) ? 'Fan' : '');
      const label = node.Text ?? '';
      const kind = node.SensorId ? (hardwareOf(undefined, node.SensorId) === 'other' ? hw.kind : hardwareOf(undefined, node.SensorId)) : hw.kind;
      const chip = slug(hw.name);
      const value = parseHwmValue(node.Value);
      if (type === 'Temperature') {
        if (DERIVED.test(label)) return;
        const tk: TempKind = kind === 'cpu' ? cpuKind(label) : kind === 'gpu' ? 'gpu' : 'other';
        const id = unique(`lhm/${chip}/${slug(label)}`);
        const implausible = value !== null && (value < -40 || value > 150);
        temps.push({
          id,
          chip: `lhm_${chip}`,
          chipName: hw.name,
          sensor: slug(label),
          label: kind === 'cpu' ? label : `${label} (${hw.name})`,
          kind: tk,
          celsius: value === null || implausible ? null : value,
          ...(value === null ? { reason: `no reading from the hardware monitor ("${node.Value ?? ''}")` } : implausible ? { reason: `implausible reading ${value} °C` } : {}),
        });
      } else if (type === 'Fan') {
        const id = unique(`lhm/${chip}/${slug(label)}`);
        fans.push({ id, chip: `lhm_${chip}`, chipName: hw.name, sensor: slug(label), label: `${label} (${hw.name})`, rpm: value, ...(value === null ? { reason: 'no reading from the hardware monitor' } : {}) });
      }
      return;
    }
    const nextGroup = isGroup ? (node.Text ?? '') : group;
    for (const c of children) walk(c, hw, nextGroup, depth + 1);
  };
  walk(root, null, '', 0);
  return { temps, fans };
}

/** GET data.json from the running tool (loopback, 2 s timeout, 8 MiB cap); null plus the reason when it is not there. */
export function fetchHardwareMonitorJson(url = LHM_DEFAULT_URL, timeoutMs = 2000): Promise<{ root: HwmNode | null; problem: string | null }> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ root: null, problem: `the hardware monitor at ${url} answered HTTP ${res.statusCode}` });
        return;
      }
      let size = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 8 * 1024 * 1024) req.destroy(new Error('answer larger than 8 MiB'));
        else chunks.push(c);
      });
      res.on('end', () => {
        try {
          resolve({ root: JSON.parse(Buffer.concat(chunks).toString('utf8')) as HwmNode, problem: null });
        } catch {
          resolve({ root: null, problem: `the hardware monitor at ${url} sent something that is not its data.json` });
        }
      });
      res.on('error', (e) => resolve({ root: null, problem: `reading ${url} failed (${e.message})` }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ root: null, problem: e.code === 'ECONNREFUSED' ? `no LibreHardwareMonitor/OpenHardwareMonitor web server at ${url}` : `${url}: ${e.message}` }),
    );
    req.end();
  });
}
