import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FanSensor, TempKind, TempSensor } from '../../../../shared/dto/monitor';
import { parseSysfsInt } from './parseProc';

/** One sensor file found under /sys/class/hwmon or /sys/class/thermal, with what it measures. */
interface SensorFile {
  id: string;
  chip: string;
  chipName: string;
  sensor: string;
  label: string;
  kind: TempKind | 'fan';
  file: string;
}

const CPU_CHIPS = /^(coretemp|k10temp|zenpower|cpu_thermal|k8temp|via_cputemp)$/;
const GPU_CHIPS = /^(amdgpu|nouveau|radeon|i915|xe)$/;

export function classifyTemp(chipName: string, label: string): TempKind {
  if (GPU_CHIPS.test(chipName)) return 'gpu';
  if (!CPU_CHIPS.test(chipName)) return 'other';
  if (/^Core\s*\d+/i.test(label) || /^Tccd\d+/i.test(label)) return 'cpu-core';
  if (/^(Package id|Physical id|Tctl|Tdie)/i.test(label) || chipName !== 'coretemp') return 'cpu-package';
  return 'other';
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** node_exporter names a chip after its device (platform_coretemp_0); without a device link, after the hwmon dir. */
function chipId(dir: string): string {
  try {
    const target = readlinkSync(join(dir, 'device'));
    const parent = basename(join(target, '..'));
    const id = `${parent === 'platform' ? 'platform_' : ''}${basename(target)}`;
    return id.replace(/[^\w]/g, '_');
  } catch {
    return basename(dir);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Finds every temperature and fan input. Cheap enough to repeat now and then, so hot-plugged sensors appear. */
export function discoverSensors(root: string): SensorFile[] {
  const found: SensorFile[] = [];
  const hwmonRoot = join(root, 'sys/class/hwmon');
  for (const entry of listDir(hwmonRoot).sort(naturalOrder)) {
    let dir = join(hwmonRoot, entry);
    const chipName = readText(join(dir, 'name'))?.trim() || entry;
    const chip = chipId(dir);
    let files = listDir(dir);
    // Older kernels keep the inputs in the device folder instead.
    if (!files.some((f) => /^(temp|fan)\d+_input$/.test(f)) && existsSync(join(dir, 'device'))) {
      dir = join(dir, 'device');
      files = listDir(dir);
    }
    for (const f of files.sort(naturalOrder)) {
      const m = /^(temp|fan)(\d+)_input$/.exec(f);
      if (!m) continue;
      const sensor = `${m[1]}${m[2]}`;
      const label = readText(join(dir, `${sensor}_label`))?.trim() || `${chipName} ${sensor}`;
      found.push({
        id: `${chip}/${sensor}`,
        chip,
        chipName,
        sensor,
        label,
        kind: m[1] === 'fan' ? 'fan' : classifyTemp(chipName, label),
        file: join(dir, f),
      });
    }
  }
  const thermalRoot = join(root, 'sys/class/thermal');
  for (const entry of listDir(thermalRoot).sort(naturalOrder)) {
    if (!entry.startsWith('thermal_zone')) continue;
    const dir = join(thermalRoot, entry);
    const type = readText(join(dir, 'type'))?.trim() || entry;
    const cpuZone = /^(x86_pkg_temp|cpu[-_]thermal|soc[-_]thermal)$/.test(type);
    found.push({ id: `thermal/${entry}`, chip: 'thermal', chipName: type, sensor: entry, label: `${type} (${entry})`, kind: cpuZone ? 'cpu-package' : 'thermal-zone', file: join(dir, 'temp') });
  }
  return found;
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Sensors that answer with nonsense (unplugged inputs often read -128 °C or 255 °C) are unavailable, not hot. */
const PLAUSIBLE_C = { min: -40, max: 150 };

function readSensorValue(s: SensorFile): { value: number | null; reason?: string } {
  let text: string;
  try {
    text = readFileSync(s.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { value: null, reason: code === 'ENOENT' ? `sensor vanished (${s.file} is gone)` : `cannot read ${s.file} (${code ?? 'error'})` };
  }
  const n = parseSysfsInt(text);
  if (n === null) return { value: null, reason: `unreadable value ${JSON.stringify(text.trim().slice(0, 40))} in ${s.file}` };
  if (s.kind === 'fan') return n < 0 ? { value: null, reason: `negative fan speed in ${s.file}` } : { value: n };
  const c = n / 1000;
  if (c < PLAUSIBLE_C.min || c > PLAUSIBLE_C.max) return { value: null, reason: `implausible reading ${c} °C in ${s.file} (input not connected?)` };
  return { value: Math.round(c * 10) / 10 };
}

export function readSensors(files: SensorFile[]): { temps: TempSensor[]; fans: FanSensor[] } {
  const temps: TempSensor[] = [];
  const fans: FanSensor[] = [];
  for (const s of files) {
    const { value, reason } = readSensorValue(s);
    const base = { id: s.id, chip: s.chip, chipName: s.chipName, sensor: s.sensor, label: s.label, ...(reason ? { reason } : {}) };
    if (s.kind === 'fan') fans.push({ ...base, rpm: value });
    else temps.push({ ...base, kind: s.kind, celsius: value });
  }
  return { temps, fans };
}

export type { SensorFile };
