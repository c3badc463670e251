import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase, type Db } from '../../electron/platform/db';
import { AuditLog } from '../../electron/platform/audit';
import { SettingsStore } from '../../electron/platform/settings';
import { EnvironmentSecretStore } from '../../electron/platform/secrets';
import { Monitor, type MonitorDeps } from '../../electron/domains/monitor';
import type { MonitorAlertEvent, MonitorSample } from '../../shared/dto/monitor';
import { tempDir } from './tempDir';

/**
 * A fake machine as /proc and /sys files, written by the test: the sampler reads it exactly as it reads the
 * real kernel's files (same names, same formats), with the root pointed here.
 */
export class FixtureTree {
  readonly root: string;
  private cpuJiffies: { busy: number; idle: number }[];

  constructor(opts: { cores?: number; root?: string } = {}) {
    this.root = opts.root ?? tempDir('church-monitor-root-');
    this.cpuJiffies = Array.from({ length: opts.cores ?? 4 }, () => ({ busy: 10_000, idle: 90_000 }));
  }

  write(rel: string, text: string): this {
    const file = join(this.root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  remove(rel: string): this {
    rmSync(join(this.root, rel), { recursive: true, force: true });
    return this;
  }

  /** /proc/stat as the kernel writes it (user nice system idle iowait irq softirq steal guest guest_nice). */
  writeStat(): this {
    const line = (name: string, busy: number, idle: number) => `${name} ${busy} 0 0 ${idle} 0 0 0 0 0 0`;
    const total = this.cpuJiffies.reduce((a, c) => ({ busy: a.busy + c.busy, idle: a.idle + c.idle }), { busy: 0, idle: 0 });
    const lines = [line('cpu ', total.busy, total.idle), ...this.cpuJiffies.map((c, i) => line(`cpu${i}`, c.busy, c.idle))];
    return this.write('proc/stat', `${lines.join('\n')}\nintr 12345 0 0\nctxt 987654\nbtime 1700000000\nprocesses 4242\n`);
  }

  /** Advances every core by 100 jiffies with the given busy shares (0–100 %). */
  runCpu(busyPct: number[]): this {
    busyPct.forEach((p, i) => {
      const c = this.cpuJiffies[i]!;
      c.busy += p;
      c.idle += 100 - p;
    });
    return this.writeStat();
  }

  /** A coretemp chip (package + cores), like an Intel box. */
  coretemp(dir: string, pkgC: number, coresC: number[]): this {
    this.write(`sys/class/hwmon/${dir}/name`, 'coretemp\n');
    this.write(`sys/class/hwmon/${dir}/temp1_label`, 'Package id 0\n').write(`sys/class/hwmon/${dir}/temp1_input`, `${pkgC * 1000}\n`);
    coresC.forEach((c, i) => {
      this.write(`sys/class/hwmon/${dir}/temp${i + 2}_label`, `Core ${i}\n`).write(`sys/class/hwmon/${dir}/temp${i + 2}_input`, `${c * 1000}\n`);
    });
    const link = join(this.root, `sys/class/hwmon/${dir}/device`);
    rmSync(link, { force: true });
    symlinkSync('../../../devices/platform/coretemp.0', link);
    return this;
  }

  setTemp(dir: string, sensor: string, celsius: number): this {
    return this.write(`sys/class/hwmon/${dir}/${sensor}_input`, `${Math.round(celsius * 1000)}\n`);
  }

  /** A board chip with fans and an unlabeled temperature, like nct6775. */
  superIo(dir: string, fansRpm: number[], tempC: number): this {
    this.write(`sys/class/hwmon/${dir}/name`, 'nct6775\n').write(`sys/class/hwmon/${dir}/temp1_input`, `${tempC * 1000}\n`);
    fansRpm.forEach((r, i) => this.write(`sys/class/hwmon/${dir}/fan${i + 1}_input`, `${r}\n`));
    this.write(`sys/class/hwmon/${dir}/fan1_label`, 'CPU fan\n');
    return this;
  }

  thermalZone(n: number, type: string, celsius: number): this {
    return this.write(`sys/class/thermal/thermal_zone${n}/type`, `${type}\n`).write(`sys/class/thermal/thermal_zone${n}/temp`, `${celsius * 1000}\n`);
  }

  meminfo(totalKb: number, availKb: number, swapTotalKb: number, swapFreeKb: number): this {
    return this.write(
      'proc/meminfo',
      `MemTotal:       ${totalKb} kB\nMemFree:         ${Math.round(availKb / 2)} kB\nMemAvailable:   ${availKb} kB\nBuffers:          123456 kB\nCached:          2345678 kB\nSwapTotal:      ${swapTotalKb} kB\nSwapFree:       ${swapFreeKb} kB\nHugePages_Total:       0\n`,
    );
  }

  diskstats(sda: { read: number; written: number }): this {
    return this.write(
      'proc/diskstats',
      [
        `   7       0 loop0 100 0 2000 10 0 0 0 0 0 10 10 0 0 0 0 0 0`,
        `   8       0 sda 5000 100 ${sda.read} 4000 3000 200 ${sda.written} 9000 0 8000 13000 0 0 0 0 0 0`,
        `   8       1 sda1 4900 100 ${sda.read - 100} 3900 2900 200 ${sda.written - 100} 8900 0 7900 12900 0 0 0 0 0 0`,
        ` 259       0 nvme0n1 100 0 800 10 50 0 400 5 0 20 15 0 0 0 0 0 0`,
        ` 259       1 nvme0n1p1 100 0 800 10 50 0 400 5 0 20 15 0 0 0 0 0 0`,
      ].join('\n') + '\n',
    );
  }

  netdev(eth0: { rx: number; tx: number }): this {
    return this.write(
      'proc/net/dev',
      `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0: ${eth0.rx}   900    0    0    0     0          0         0 ${eth0.tx}   800    0    0    0     0       0          0
`,
    );
  }

  /** A typical healthy box: 4 cores, coretemp, a board chip with fans, a thermal zone, 16 GiB, one disk. */
  static healthy(opts: { pkgC?: number; mounts?: string } = {}): FixtureTree {
    const f = new FixtureTree();
    f.writeStat()
      .coretemp('hwmon0', opts.pkgC ?? 45, [44, 46, 43, 45])
      .superIo('hwmon1', [1200, 850], 38)
      .thermalZone(0, 'acpitz', 27.8)
      .meminfo(16 * 1024 * 1024, 12 * 1024 * 1024, 2 * 1024 * 1024, 1.5 * 1024 * 1024)
      .diskstats({ read: 1_000_000, written: 2_000_000 })
      .netdev({ rx: 5_000_000, tx: 1_000_000 })
      .write('proc/loadavg', '0.52 0.61 0.70 2/345 6789\n')
      .write('proc/uptime', '86400.25 300000.10\n')
      .write('proc/mounts', opts.mounts ?? `/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\ntmpfs /run tmpfs rw 0 0\n/dev/sda2 /srv/media\\040library xfs rw 0 0\n`);
    return f;
  }
}

/** A stand-in nvidia-smi: checks it got the one query it expects, logs the call, prints gpu.csv. */
export function makeNvidiaSmiStandin(lines: string[]): { bin: string; setCsv(lines: string[]): void; calls(): number; dir: string } {
  const dir = tempDir('church-nvsmi-');
  const bin = join(dir, 'nvidia-smi');
  writeFileSync(
    bin,
    `#!/bin/sh
case "$1" in --query-gpu=index,name,uuid,temperature.gpu,*) ;; *) echo "stand-in: unexpected query $1" >&2; exit 2;; esac
[ "$2" = "--format=csv,noheader,nounits" ] || { echo "stand-in: unexpected format $2" >&2; exit 2; }
echo x >> "${dir}/calls.log"
cat "${dir}/gpu.csv"
`,
  );
  chmodSync(bin, 0o755);
  const setCsv = (l: string[]) => writeFileSync(join(dir, 'gpu.csv'), l.join('\n') + '\n');
  setCsv(lines);
  return {
    bin,
    dir,
    setCsv,
    calls: () => {
      try {
        return readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

/**
 * A stand-in for `nvidia-smi --query-gpu=… --format=csv,noheader,nounits -lms N`: one process that prints the
 * CSV lines every N ms until killed, like the real looping mode. Shell builtins only inside the loop (no process
 * per line, like the real one). Files in its folder steer it: `stall` (keeps running, prints nothing), `die`
 * (exits 3 with a driver message on stderr). `starts()` counts processes started, `loops()` lines printed.
 */
export function makeNvidiaSmiStreamStandin(lines: string[]): {
  bin: string;
  dir: string;
  setCsv(lines: string[]): void;
  stall(on: boolean): void;
  die(on: boolean): void;
  starts(): number;
  loops(): number;
} {
  const dir = tempDir('church-nvsmi-stream-');
  const bin = join(dir, 'nvidia-smi');
  writeFileSync(
    bin,
    `#!/bin/bash
case "$1" in --query-gpu=index,name,uuid,temperature.gpu,*) ;; *) echo "stand-in: unexpected query $1" >&2; exit 2;; esac
[ "$2" = "--format=csv,noheader,nounits" ] || { echo "stand-in: unexpected format $2" >&2; exit 2; }
[ "$3" = "-lms" ] || { echo "stand-in: not in looping mode ($3)" >&2; exit 2; }
ms=$4
printf -v secs '%d.%03d' $((ms / 1000)) $((ms % 1000))
echo $$ >> "${dir}/starts.log"
fifo="${dir}/tick.$$"
/usr/bin/mkfifo "$fifo" && exec 3<>"$fifo"
n=0
while :; do
  if [ -e "${dir}/die" ]; then echo "Unable to determine the device handle for GPU0: Unknown Error" >&2; exit 3; fi
  if [ ! -e "${dir}/stall" ]; then
    while IFS= read -r line; do printf '%s\\n' "$line"; done < "${dir}/gpu.csv"
    n=$((n + 1)); printf '%d\\n' $n > "${dir}/loops.$$"
  fi
  read -t "$secs" -u 3 _
done
`,
  );
  chmodSync(bin, 0o755);
  const setCsv = (l: string[]) => {
    // Written to a temp name and renamed: the loop must never read a half-written file.
    writeFileSync(join(dir, 'gpu.csv.tmp'), l.join('\n') + '\n');
    renameSync(join(dir, 'gpu.csv.tmp'), join(dir, 'gpu.csv'));
  };
  setCsv(lines);
  const flag = (name: string) => (on: boolean) => (on ? writeFileSync(join(dir, name), '') : rmSync(join(dir, name), { force: true }));
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    bin,
    dir,
    setCsv,
    stall: flag('stall'),
    die: flag('die'),
    starts: () => read('starts.log').split('\n').filter(Boolean).length,
    loops: () =>
      read('starts.log')
        .split('\n')
        .filter(Boolean)
        .reduce((sum, pid) => sum + (Number(read(`loops.${pid}`).trim()) || 0), 0),
  };
}

export const GPU_LINE_HOT = '0, NVIDIA GeForce RTX 4090, GPU-1111-2222, 92, 99, 20000, 24564, 420.5, 85';
export const GPU_LINE_IDLE = '1, NVIDIA RTX A4000, GPU-3333-4444, 41, 3, 512, 16376, [N/A], [Not Supported]';

/** A Monitor on a fresh SQLite file with the fixture root; events are collected for assertions. */
export interface FixtureMonitor {
  monitor: Monitor;
  db: Db;
  audit: AuditLog;
  settings: SettingsStore;
  secrets: EnvironmentSecretStore;
  samples: MonitorSample[];
  alerts: MonitorAlertEvent[];
  errors: string[];
  kills: string[];
  close(): Promise<void>;
}

export function makeFixtureMonitor(root: string, extra: Partial<MonitorDeps> = {}, env: NodeJS.ProcessEnv = {}): FixtureMonitor {
  const dir = tempDir('church-monitor-db-');
  const db = openDatabase(join(dir, 'studio.sqlite'));
  const audit = new AuditLog(db);
  const settings = new SettingsStore(db);
  const secrets = new EnvironmentSecretStore(env, { 'smtp-password': 'CHURCH_SMTP_PASSWORD' });
  const samples: MonitorSample[] = [];
  const alerts: MonitorAlertEvent[] = [];
  const errors: string[] = [];
  const kills: string[] = [];
  const monitor = new Monitor({
    db,
    audit,
    settings,
    secrets,
    env: { PATH: '/nonexistent', ...env },
    root,
    emit: (name, payload) => (name === 'monitor.sample' ? samples.push(payload as MonitorSample) : alerts.push(payload as MonitorAlertEvent)),
    logError: (msg, e) => errors.push(`${msg}: ${(e as Error).message}`),
    triggerKillSwitch: async (reason) => {
      kills.push(reason);
      return null;
    },
    statfs: async () => ({ bsize: 4096, blocks: 1_000_000, bfree: 400_000, bavail: 350_000 }),
    ...extra,
  });
  return { monitor, db, audit, settings, secrets, samples, alerts, errors, kills, close: async () => { await monitor.close(); db.close(); } };
}
