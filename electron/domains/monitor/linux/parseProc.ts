/**
 * Pure parsers for the /proc files the Linux sampler reads. Each returns null (or skips a line) on text it does
 * not understand, so a garbled file becomes "unavailable" instead of a crash or a made-up number.
 */

/** Jiffies per mode for one cpu line of /proc/stat. */
export interface CpuTimes {
  cpu: string;
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

function allFinite(nums: number[]): boolean {
  return nums.every((n) => Number.isFinite(n) && n >= 0);
}

export function parseProcStat(text: string): { total: CpuTimes | null; cores: CpuTimes[] } {
  let total: CpuTimes | null = null;
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^(cpu\d*)\s+(.*)$/.exec(line);
    if (!m) continue;
    const nums = m[2]!.trim().split(/\s+/).slice(0, 8).map(Number);
    while (nums.length < 8) nums.push(0);
    if (!allFinite(nums) || !/^\d/.test(m[2]!.trim())) continue;
    const t = { cpu: m[1]!, ...Object.fromEntries(CPU_MODES.map((mode, i) => [mode, nums[i]!])) } as CpuTimes;
    if (t.cpu === 'cpu') total = t;
    else cores.push(t);
  }
  cores.sort((a, b) => Number(a.cpu.slice(3)) - Number(b.cpu.slice(3)));
  return { total, cores };
}

export function cpuModes(): readonly (typeof CPU_MODES)[number][] {
  return CPU_MODES;
}

/** Busy share in % between two readings of the same cpu; null when the counters did not move forward. */
export function busyPct(prev: CpuTimes, cur: CpuTimes): number | null {
  const sum = (t: CpuTimes) => t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
  const total = sum(cur) - sum(prev);
  const idle = cur.idle + cur.iowait - (prev.idle + prev.iowait);
  if (total <= 0 || idle < 0 || idle > total) return null;
  return Math.round(((total - idle) / total) * 1000) / 10;
}

/** /proc/meminfo → bytes per key (values are in kB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

export interface DiskCounters {
  device: string;
  sectorsRead: number;
  sectorsWritten: number;
}

/**
 * /proc/diskstats → whole disks only (partitions, loop and ram devices would count the same bytes twice).
 * Sectors here are always 512 bytes, whatever the device's real sector size.
 */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const device = f[2]!;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (!Number.isFinite(read) || !Number.isFinite(written)) continue;
    if (/^(loop|ram|zram|sr|fd|dm-)\d*/.test(device)) continue;
    if (isPartition(device)) continue;
    out.push({ device, sectorsRead: read, sectorsWritten: written });
  }
  return out;
}

function isPartition(device: string): boolean {
  if (/^(nvme\d+n\d+|mmcblk\d+)p\d+$/.test(device)) return true;
  if (/^(sd|vd|hd|xvd)[a-z]+\d+$/.test(device)) return true;
  return false;
}

export interface NetCounters {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

/** /proc/net/dev → counters per interface, without the loopback. */
/**
 * Virtual interfaces that container runtimes create and remove with every container (veth pairs, docker0 and
 * compose bridges br-<id>, CNI/Calico/Flannel devices). Their traffic is already counted on the real NIC, and
 * as series they churn: one new id per container start, forever.
 */
export function isContainerInterface(iface: string): boolean {
  return /^(veth|docker|br-|cni|cali|flannel)/.test(iface);
}

export function parseNetDev(text: string): NetCounters[] {
  const out: NetCounters[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([^\s:]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo' || isContainerInterface(m[1]!)) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 16 || !Number.isFinite(f[0]) || !Number.isFinite(f[8])) continue;
    out.push({ iface: m[1]!, rxBytes: f[0]!, txBytes: f[8]! });
  }
  return out;
}

export function parseLoadavg(text: string): { one: number; five: number; fifteen: number } | null {
  const f = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (f.length < 3 || !allFinite(f)) return null;
  return { one: f[0]!, five: f[1]!, fifteen: f[2]! };
}

export function parseUptime(text: string): number | null {
  const v = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(v) && v >= 0 ? v : null;
}

export interface MountEntry {
  device: string;
  mount: string;
  fsType: string;
}

/** File systems that hold data; pseudo and in-memory ones (proc, tmpfs, cgroup…) are left out. */
export const DATA_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'zfs', 'vfat', 'exfat', 'ntfs', 'ntfs3', 'f2fs', 'fuseblk', 'nfs', 'nfs4', 'cifs', 'overlay', 'jfs', 'reiserfs', 'bcachefs']);

/**
 * Where container runtimes mount each container's root (overlay) and volumes. Those mounts report the file system
 * underneath (the same numbers as the host disk: a full disk would alert once per container) and come and go
 * with containers. The folder itself, when it is a disk of its own, is kept.
 */
const CONTAINER_DIRS = ['/var/lib/docker', '/var/lib/containers', '/run/containerd', '/var/lib/kubelet', '/run/docker'];

export function isContainerMount(mount: string): boolean {
  return CONTAINER_DIRS.some((d) => mount.startsWith(`${d}/`));
}

/** /proc/mounts (octal escapes such as \040 for a space decoded), one entry per device; container mounts left out. */
export function parseMounts(text: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const seen = new Set<string>();
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !DATA_FS.has(f[2]!)) continue;
    const device = unescape(f[0]!);
    if (isContainerMount(unescape(f[1]!))) continue;
    const key = device === 'overlay' ? `overlay:${f[1]}` : device;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ device, mount: unescape(f[1]!), fsType: f[2]! });
  }
  return out;
}

/** A sysfs number (millidegrees, rpm); null with the reason when the text is not a plain integer. */
export function parseSysfsInt(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  return Number(t);
}
