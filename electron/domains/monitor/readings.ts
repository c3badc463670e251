import type { MetricFamily, MetricUnit, Reading, TempSensor } from '../../../shared/dto/monitor';
import type { RawSample } from './sampler';

function tempFamily(t: TempSensor): MetricFamily {
  if (t.kind === 'cpu-package' || t.kind === 'cpu-core') return 'cpu.temp';
  if (t.kind === 'gpu') return 'gpu.temp';
  return 'temp.other';
}

/**
 * The sample as flat series (id → value): the one shape charts, cards, rules, the ring buffer and the minute
 * averages share. Ids are stable across samples ("cpu.temp:coretemp_0/temp1", "disk.used_pct:/").
 */
export function toReadings(s: RawSample): Reading[] {
  const out: Reading[] = [];
  const add = (family: MetricFamily, key: string, label: string, unit: MetricUnit, value: number | null, reason?: string) =>
    out.push({ id: key ? `${family}:${key}` : family, family, label, unit, value, ...(value === null && reason ? { reason } : {}) });

  add('cpu.load', '', 'CPU load', '%', s.cpu.totalPct, s.cpu.reason);
  s.cpu.coresPct.forEach((v, i) => add('cpu.core_load', String(i), `CPU ${i} load`, '%', v, s.cpu.reason));
  // Board and drive sensors get their chip name, unless the label already says it ("nct6775 temp1", "acpitz (thermal_zone0)").
  const named = (label: string, chipName: string) => (label.includes(chipName) ? label : `${label} (${chipName})`);
  for (const t of s.temps) add(tempFamily(t), t.id, t.kind === 'cpu-package' || t.kind === 'cpu-core' ? t.label : named(t.label, t.chipName), '°C', t.celsius, t.reason);
  for (const g of s.gpus) {
    const name = `GPU ${g.index} ${g.name}`;
    const memPct = g.memUsedBytes !== null && g.memTotalBytes ? Math.round((g.memUsedBytes / g.memTotalBytes) * 1000) / 10 : null;
    add('gpu.temp', `gpu${g.index}`, `${name} temperature`, '°C', g.tempC, 'the GPU driver gave no temperature');
    add('gpu.util', `gpu${g.index}`, `${name} load`, '%', g.utilPct, 'the GPU driver gave no utilisation');
    add('gpu.mem_used_pct', `gpu${g.index}`, `${name} memory`, '%', memPct, 'the GPU driver gave no memory figures');
    add('gpu.power', `gpu${g.index}`, `${name} power`, 'W', g.powerW, 'the GPU driver gave no power draw');
  }
  for (const f of s.fans) add('fan.rpm', f.id, named(f.label, f.chipName), 'rpm', f.rpm, f.reason);
  add('mem.used_pct', '', 'Memory used', '%', s.memory.usedPct, s.memory.reason);
  add('swap.used_pct', '', 'Swap used', '%', s.memory.swapUsedPct, s.memory.reason ?? 'no swap configured');
  for (const d of s.disks) add('disk.used_pct', d.mount, `Disk ${d.mount} used`, '%', d.usedPct, d.reason);
  for (const d of s.diskIo) {
    add('disk.read_bps', d.device, `${d.device} read`, 'B/s', d.readBps, 'first reading: rates need two samples');
    add('disk.write_bps', d.device, `${d.device} write`, 'B/s', d.writeBps, 'first reading: rates need two samples');
  }
  for (const n of s.net) {
    add('net.rx_bps', n.iface, `${n.iface} in`, 'B/s', n.rxBps, 'first reading: rates need two samples');
    add('net.tx_bps', n.iface, `${n.iface} out`, 'B/s', n.txBps, 'first reading: rates need two samples');
  }
  add('load.1', '', 'Load (1 min)', '', s.load?.one ?? null, 'no load average on this platform');
  add('uptime', '', 'Uptime', 's', s.uptimeSec, 'uptime unreadable');
  return out;
}
