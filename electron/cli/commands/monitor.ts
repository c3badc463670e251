import type { MonitorSample, Reading } from '../../../shared/dto/monitor';
import { ChurchError } from '../../../shared/errors';
import type { CliCommand } from '../command';
import { isLiveTerminal } from '../terminal';

/** "12 min" under an hour, "5 h 3 min" under a day, "3 d 4 h" beyond. */
export function formatUptime(sec: number): string {
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}

function human(r: Reading): string {
  if (r.value === null) return 'n/a';
  switch (r.unit) {
    case '%':
      return `${r.value.toFixed(1)} %`;
    case '°C':
      return `${r.value.toFixed(1)} °C`;
    case 'B/s':
      return r.value >= 1e6 ? `${(r.value / 1e6).toFixed(1)} MB/s` : `${(r.value / 1e3).toFixed(1)} kB/s`;
    case 's':
      return formatUptime(r.value);
    default:
      return `${Math.round(r.value * 100) / 100}${r.unit ? ` ${r.unit}` : ''}`;
  }
}

const SECTIONS: [string, (r: Reading) => boolean][] = [
  ['CPU', (r) => r.family === 'cpu.load' || r.family === 'cpu.core_load' || r.family === 'load.1'],
  ['Temperatures', (r) => r.family === 'cpu.temp' || r.family === 'gpu.temp' || r.family === 'temp.other'],
  ['GPUs', (r) => r.family === 'gpu.util' || r.family === 'gpu.mem_used_pct' || r.family === 'gpu.power'],
  ['Fans', (r) => r.family === 'fan.rpm'],
  ['Memory and disks', (r) => r.family === 'mem.used_pct' || r.family === 'swap.used_pct' || r.family === 'disk.used_pct'],
  ['I/O', (r) => r.family === 'disk.read_bps' || r.family === 'disk.write_bps' || r.family === 'net.rx_bps' || r.family === 'net.tx_bps'],
  ['System', (r) => r.family === 'uptime'],
];

/** The sample as a terminal page: one section per kind of sensor, unavailable ones with their reason. */
export function renderSample(s: MonitorSample): string {
  const lines = [`${new Date(s.at).toLocaleTimeString()}  ${s.platform} (${s.source}), sample cost ${s.costMs} ms CPU`];
  const width = Math.min(40, Math.max(...s.readings.map((r) => r.label.length)));
  for (const [title, pick] of SECTIONS) {
    const rows = s.readings.filter(pick);
    if (!rows.length) continue;
    lines.push('', title);
    for (const r of rows) lines.push(`  ${r.label.padEnd(width)}  ${human(r).padStart(11)}${r.value === null && r.reason ? `  (${r.reason})` : ''}`);
  }
  const missing = s.unavailable.filter((u) => !s.readings.some((r) => r.value === null && r.reason === u.reason));
  if (missing.length) {
    lines.push('', 'Unavailable');
    for (const u of missing) lines.push(`  ${u.sensor}: ${u.reason}`);
  }
  return lines.join('\n');
}

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: 'Show the lab hardware live (temperatures, load, memory, disks, network, GPUs), or one sample with --once',
  usage: 'church monitor [--once] [--interval MS] [--count N] [--json]',
  options: { once: { type: 'boolean' }, interval: { type: 'string' }, count: { type: 'string' } },
  async run(ctx, args) {
    const client = await ctx.client();
    const once = args.values.once === true;
    const interval = args.values.interval === undefined ? 1000 : Number(args.values.interval);
    if (!Number.isInteger(interval) || interval < 250 || interval > 60_000) throw new ChurchError('INVALID_INPUT', '--interval takes milliseconds between 250 and 60000');
    const count = args.values.count === undefined ? Infinity : Number(args.values.count);
    if (!(count >= 1)) throw new ChurchError('INVALID_INPUT', '--count takes a positive number of samples');
    const take = () => client.call('monitor.current', {});

    if (once) {
      const s = await take();
      ctx.print(s, () => renderSample(s));
      return 0;
    }
    // Streaming: one JSON object per line with --json (easy to pipe into jq), else a page redrawn in place.
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      for (let n = 0; n < count && !stop; n++) {
        const started = Date.now();
        const s = await take();
        if (ctx.json) ctx.stdout.write(JSON.stringify(s) + '\n');
        else ctx.stdout.write((isLiveTerminal(ctx.stdout, ctx.env) ? '\x1b[2J\x1b[H' : n ? '\n' : '') + renderSample(s) + '\n');
        if (n + 1 < count) {
          const wait = Math.max(0, interval - (Date.now() - started));
          for (let waited = 0; waited < wait && !stop; waited += 100) await new Promise((r) => setTimeout(r, Math.min(100, wait - waited)));
        }
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};

/** The `church` commands of the monitor domain. */
export const monitorCommands: CliCommand[] = [monitorCommand];
