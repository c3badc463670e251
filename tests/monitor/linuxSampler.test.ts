import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinuxSampler, toReadings } from '../../electron/domains/monitor';
import { parseDiskstats, parseMounts, parseProcStat } from '../../electron/domains/monitor/linux/parseProc';
import { tempDir } from '../helpers/tempDir';
import { FixtureTree } from '../helpers/monitor';
import { waitFor } from '../helpers/waitFor';

const statfs = async (path: string) =>
  path === '/' ? { bsize: 4096, blocks: 1_000_000, bfree: 50_000, bavail: 20_000 } : { bsize: 4096, blocks: 2_000_000, bfree: 1_000_000, bavail: 1_000_000 };

function sampler(root: string, now: () => number) {
  return new LinuxSampler({ root, statfs, now });
}

describe('Linux sampler on a fixture /proc and /sys', () => {
  it('reads a hot CPU: per-core and total load from /proc/stat deltas, package and core temperatures with labels', async () => {
    const f = FixtureTree.healthy({ pkgC: 96 });
    f.coretemp('hwmon0', 96, [95, 97, 91, 88]);
    let t = 1_000_000;
    const s = sampler(f.root, () => t);
    const first = await s.sample();
    expect(first.cpu.totalPct).toBeNull();
    expect(first.cpu.reason).toMatch(/two samples/);
    f.runCpu([100, 90, 50, 0]);
    t += 1000;
    const x = await s.sample();
    expect(x.cpu.coresPct).toEqual([100, 90, 50, 0]);
    expect(x.cpu.totalPct).toBe(60);
    const pkg = x.temps.find((tt) => tt.label === 'Package id 0')!;
    expect(pkg).toMatchObject({ kind: 'cpu-package', celsius: 96, chip: 'platform_coretemp_0', chipName: 'coretemp', sensor: 'temp1' });
    expect(x.temps.filter((tt) => tt.kind === 'cpu-core').map((tt) => [tt.label, tt.celsius])).toEqual([
      ['Core 0', 95],
      ['Core 1', 97],
      ['Core 2', 91],
      ['Core 3', 88],
    ]);
    // Other chips keep their own labels and are not mistaken for the CPU.
    expect(x.temps.find((tt) => tt.chipName === 'nct6775')).toMatchObject({ kind: 'other', celsius: 38, label: 'nct6775 temp1' });
    expect(x.temps.find((tt) => tt.chip === 'thermal')).toMatchObject({ kind: 'thermal-zone', celsius: 27.8, label: 'acpitz (thermal_zone0)' });
    expect(x.fans.map((fan) => [fan.label, fan.rpm])).toEqual([
      ['CPU fan', 1200],
      ['nct6775 fan2', 850],
    ]);
    expect(x.cpu.times?.find((c) => c.cpu === '0' && c.mode === 'user')?.seconds).toBe(101);
  });

  it('reads k10temp (AMD): Tctl is the package, Tccd the dies', async () => {
    const f = FixtureTree.healthy();
    f.remove('sys/class/hwmon/hwmon0');
    f.write('sys/class/hwmon/hwmon3/name', 'k10temp\n')
      .write('sys/class/hwmon/hwmon3/temp1_label', 'Tctl\n')
      .write('sys/class/hwmon/hwmon3/temp1_input', '71250\n')
      .write('sys/class/hwmon/hwmon3/temp3_label', 'Tccd1\n')
      .write('sys/class/hwmon/hwmon3/temp3_input', '65000\n');
    const x = await sampler(f.root, Date.now).sample();
    const cpu = x.temps.filter((t) => t.kind.startsWith('cpu'));
    expect(cpu.map((t) => [t.label, t.kind, t.celsius])).toEqual([
      ['Tctl', 'cpu-package', 71.3],
      ['Tccd1', 'cpu-core', 65],
    ]);
  });

  it('memory, swap, disks per mount (df-style used %), disk and network rates, load, uptime', async () => {
    const f = FixtureTree.healthy();
    let t = 5_000_000;
    const s = sampler(f.root, () => t);
    const first = await s.sample();
    expect(first.net[0]).toMatchObject({ iface: 'eth0', rxBps: null, rxBytesTotal: 5_000_000 });
    f.diskstats({ read: 1_000_000 + 2048, written: 2_000_000 + 4096 }).netdev({ rx: 5_000_000 + 250_000, tx: 1_000_000 + 50_000 });
    t += 2000;
    const x = await s.sample();
    expect(x.memory).toMatchObject({ totalBytes: 16 * 1024 ** 3, availableBytes: 12 * 1024 ** 3, usedPct: 25, swapUsedPct: 25 });
    expect(x.disks.map((d) => [d.mount, d.fsType, d.usedPct])).toEqual([
      ['/', 'ext4', 97.9],
      ['/srv/media library', 'xfs', 50],
    ]);
    // Whole disks only: sda and nvme0n1, not partitions or loop devices; sectors are 512 bytes.
    expect(x.diskIo.map((d) => d.device)).toEqual(['sda', 'nvme0n1']);
    expect(x.diskIo[0]).toMatchObject({ readBps: (2048 * 512) / 2, writeBps: (4096 * 512) / 2 });
    expect(x.net).toEqual([{ iface: 'eth0', rxBps: 125_000, txBps: 25_000, rxBytesTotal: 5_250_000, txBytesTotal: 1_050_000 }]);
    expect(x.load).toEqual({ one: 0.52, five: 0.61, fifteen: 0.7 });
    expect(x.uptimeSec).toBe(86400.25);
    const r = toReadings(x);
    expect(r.find((q) => q.id === 'disk.used_pct:/')?.value).toBe(97.9);
    expect(r.find((q) => q.id === 'net.rx_bps:eth0')?.value).toBe(125_000);
  });

  it('missing sensors are unavailable with a reason, never 0', async () => {
    const f = new FixtureTree();
    f.writeStat().write('proc/meminfo', 'MemTotal: 1000 kB\nMemAvailable: 500 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
    const s = sampler(f.root, Date.now);
    await s.sample();
    const x = await s.sample();
    const cpuTemp = x.temps.find((t) => t.kind === 'cpu-package')!;
    expect(cpuTemp.celsius).toBeNull();
    expect(cpuTemp.reason).toMatch(/no CPU temperature sensor found/);
    expect(x.fans).toEqual([]);
    expect(x.memory.swapUsedPct).toBeNull();
    expect(x.load).toBeNull();
    expect(x.uptimeSec).toBeNull();
    const sensors = x.unavailable.map((u) => u.sensor);
    expect(sensors).toEqual(expect.arrayContaining(['CPU temperature', 'fans', 'swap', 'load average', 'uptime']));
    const readings = toReadings(x);
    for (const id of ['cpu.temp:cpu', 'swap.used_pct', 'load.1', 'uptime']) {
      const r = readings.find((q) => q.id === id)!;
      expect(r.value, id).toBeNull();
      expect(r.reason, id).toBeTruthy();
    }
    expect(readings.find((q) => q.id === 'mem.used_pct')?.value).toBe(50);
  });

  it('a sensor that disappears mid-run becomes unavailable ("vanished"), the others keep going', async () => {
    const f = FixtureTree.healthy();
    const s = new LinuxSampler({ root: f.root, statfs, rescanMs: 0 });
    const before = await s.sample();
    expect(before.fans).toHaveLength(2);
    f.remove('sys/class/hwmon/hwmon1');
    const after = await s.sample();
    const fan = after.fans.find((x) => x.label === 'CPU fan')!;
    expect(fan.rpm).toBeNull();
    expect(fan.reason).toMatch(/vanished/);
    expect(after.temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(45);
    expect(after.unavailable.some((u) => u.sensor === 'CPU fan' && /vanished/.test(u.reason))).toBe(true);
    // It comes back when the device does.
    f.superIo('hwmon1', [1300, 900], 39);
    const back = await s.sample();
    expect(back.fans.find((x) => x.label === 'CPU fan')?.rpm).toBe(1300);
  });

  it('garbage in a file makes that value unavailable, with no crash', async () => {
    const f = FixtureTree.healthy();
    f.write('sys/class/hwmon/hwmon0/temp2_input', 'N/A\x00garbage\n')
      .write('sys/class/hwmon/hwmon0/temp3_input', '-128000\n')
      .write('sys/class/hwmon/hwmon1/fan2_input', '')
      .write('proc/loadavg', 'lots of load\n')
      .write('proc/meminfo', '\u0000\u0001binary junk')
      .write('proc/net/dev', 'eth0: not numbers at all\n');
    const s = sampler(f.root, Date.now);
    await s.sample();
    f.write('proc/stat', 'cpu  x y z\ncpu0 ???\n');
    const x = await s.sample();
    expect(x.temps.find((t) => t.label === 'Core 0')).toMatchObject({ celsius: null, reason: expect.stringMatching(/unreadable value/) });
    expect(x.temps.find((t) => t.label === 'Core 1')).toMatchObject({ celsius: null, reason: expect.stringMatching(/implausible/) });
    expect(x.temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(45);
    expect(x.fans.find((fan) => fan.sensor === 'fan2')?.rpm).toBeNull();
    expect(x.cpu.totalPct).toBeNull();
    expect(x.cpu.reason).toMatch(/unreadable \/proc\/stat/);
    expect(x.memory.usedPct).toBeNull();
    expect(x.load).toBeNull();
    expect(x.net).toEqual([]);
    // A good file again recovers (new baseline first).
    f.runCpu([10, 10, 10, 10]);
    await s.sample();
    f.runCpu([20, 20, 20, 20]);
    expect((await s.sample()).cpu.totalPct).toBe(20);
  });

  it('an empty root (no /proc at all) yields an all-unavailable sample, not an exception', async () => {
    const x = await sampler(tempDir('church-empty-root-'), Date.now).sample();
    expect(x.cpu.totalPct).toBeNull();
    expect(x.memory.usedPct).toBeNull();
    expect(x.disks).toEqual([]);
    expect(x.unavailable.length).toBeGreaterThan(3);
  });

  it('reads the real machine too (its /proc, real statfs), with a stand-in sensor tree where the machine has none', async () => {
    // This machine has no /sys/class/hwmon: a stand-in tree beside the real /proc gives the temperature checks
    // something to read, one good sensor and one broken one, so both branches below run.
    const f = new FixtureTree().coretemp('hwmon0', 52, [51, 53]).write('sys/class/hwmon/hwmon1/name', 'nvme\n').write('sys/class/hwmon/hwmon1/temp1_input', 'N/A\n');
    symlinkSync('/proc', join(f.root, 'proc'));
    const s = new LinuxSampler({ root: f.root });
    const before = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    await s.sample();
    await waitFor('the kernel to count more CPU time', () => readFileSync('/proc/stat', 'utf8').split('\n')[0] !== before);
    const x = await s.sample();
    expect(x.cpu.totalPct).not.toBeNull();
    expect(x.memory.totalBytes).toBeGreaterThan(0);
    expect(x.uptimeSec).toBeGreaterThan(0);
    expect(x.temps).toHaveLength(4);
    for (const t of x.temps) expect(t.celsius === null ? typeof t.reason : 'ok').not.toBe('undefined');
    expect(x.temps.find((t) => t.label === 'Package id 0')?.celsius).toBe(52);
    expect(x.temps.find((t) => t.chipName === 'nvme')).toMatchObject({ celsius: null, reason: expect.stringMatching(/unreadable value "N\/A"/) });
  });

  it('parsers skip what they do not understand', () => {
    expect(parseProcStat('cpu  1 2 3 4\ncpu1 5 6 7 8\ncpu0 1 1 1 1\n').cores.map((c) => c.cpu)).toEqual(['cpu0', 'cpu1']);
    expect(parseDiskstats('8 0 sda 1 2 3\n')).toEqual([]);
    expect(parseMounts('/dev/sda1 / ext4 rw 0 0\n/dev/sda1 /bind ext4 rw 0 0\nsysfs /sys sysfs rw 0 0\n')).toEqual([{ device: '/dev/sda1', mount: '/', fsType: 'ext4' }]);
  });
});

describe('Linux sampler on a Docker host', () => {
  it('leaves out container mounts (they report the host disk) and container interfaces (veth/docker/br-), keeping the real ones', async () => {
    const mounts = [
      '/dev/sda1 / ext4 rw 0 0',
      '/dev/sdb1 /var/lib/docker ext4 rw 0 0',
      'overlay /var/lib/docker/overlay2/4f3a/merged overlay rw 0 0',
      'overlay /var/lib/containers/storage/overlay/9c1b/merged overlay rw 0 0',
      'shm /run/containerd/io.containerd.grpc.v1.cri/sandboxes/ab/shm tmpfs rw 0 0',
      '/dev/sda1 /var/lib/kubelet/pods/1234/volumes/kubernetes.io~empty-dir/data ext4 rw 0 0',
      'overlay /run/containerd/io.containerd.runtime.v2.task/k8s.io/77/rootfs overlay rw 0 0',
      '/dev/sdc1 /srv/data xfs rw 0 0',
    ].join('\n');
    const f = FixtureTree.healthy({ mounts: `${mounts}\n` });
    const row = (name: string, rx: number) => `  ${name}: ${rx} 100 0 0 0 0 0 0 ${rx / 2} 100 0 0 0 0 0 0`;
    f.write(
      'proc/net/dev',
      ['Inter-|   Receive', ' face |bytes', row('lo', 10), row('eth0', 5000), row('docker0', 400), row('br-5d2c1e', 300), row('veth1a2b3c4', 200), row('cali12ab', 100), row('wlan0', 600)].join('\n') + '\n',
    );
    const x = await sampler(f.root, Date.now).sample();
    expect(x.disks.map((d) => d.mount)).toEqual(['/', '/var/lib/docker', '/srv/data']);
    expect(x.net.map((n) => n.iface)).toEqual(['eth0', 'wlan0']);
    expect(x.unavailable.filter((u) => u.sensor.startsWith('disk'))).toEqual([]);
  });
});

describe('Linux sampler and slow file systems', () => {
  it('a hung mount (statfs never answers) is unavailable after the timeout, does not stall the sample, and is never asked again while its call is pending', async () => {
    const f = FixtureTree.healthy({ mounts: '/dev/sda1 / ext4 rw 0 0\nnas:/media /mnt/nas nfs4 rw 0 0\n' });
    let calls = 0;
    let t = 1_000_000;
    const hung = (path: string) => {
      if (path === '/mnt/nas') {
        calls++;
        return new Promise<never>(() => undefined);
      }
      return Promise.resolve({ bsize: 4096, blocks: 100, bfree: 50, bavail: 50 });
    };
    const s = new LinuxSampler({ root: f.root, statfs: hung, statfsTimeoutMs: 100, now: () => t });
    const started = Date.now();
    const x = await s.sample();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(x.disks.find((d) => d.mount === '/')?.usedPct).toBe(50);
    expect(x.disks.find((d) => d.mount === '/mnt/nas')).toMatchObject({ usedPct: null, reason: expect.stringMatching(/did not answer within 100 ms/) });
    // Each pending statfs holds a threadpool thread: an hour later it must still be the only one.
    for (let i = 0; i < 5; i++) {
      t += 61_000;
      const y = await s.sample();
      expect(y.disks.find((d) => d.mount === '/mnt/nas')).toMatchObject({ usedPct: null, reason: 'statfs has still not answered (hung network mount?)' });
      expect(y.disks.find((d) => d.mount === '/')?.usedPct).toBe(50);
    }
    expect(calls).toBe(1);
    expect(s.pendingStatfsCount).toBe(1);
  });

  it('a slow mount that answers late is asked again after it answered', async () => {
    const f = FixtureTree.healthy({ mounts: '/dev/sda1 / ext4 rw 0 0\nnas:/media /mnt/nas nfs4 rw 0 0\n' });
    let calls = 0;
    let release: (() => void) | null = null;
    const slow = (path: string) => {
      if (path !== '/mnt/nas') return Promise.resolve({ bsize: 4096, blocks: 100, bfree: 50, bavail: 50 });
      calls++;
      if (calls > 1) return Promise.resolve({ bsize: 4096, blocks: 100, bfree: 75, bavail: 75 });
      return new Promise<{ bsize: number; blocks: number; bfree: number; bavail: number }>((resolve) => {
        release = () => resolve({ bsize: 4096, blocks: 100, bfree: 90, bavail: 90 });
      });
    };
    const s = new LinuxSampler({ root: f.root, statfs: slow, statfsTimeoutMs: 50 });
    expect((await s.sample()).disks.find((d) => d.mount === '/mnt/nas')?.reason).toMatch(/did not answer within 50 ms/);
    expect((await s.sample()).disks.find((d) => d.mount === '/mnt/nas')?.reason).toBe('statfs has still not answered (hung network mount?)');
    release!();
    await waitFor('the late answer to be taken', () => s.pendingStatfsCount === 0);
    expect(s.pendingStatfsCount).toBe(0);
    expect((await s.sample()).disks.find((d) => d.mount === '/mnt/nas')?.usedPct).toBe(25);
    expect(calls).toBe(2);
  });
});
