import { z } from 'zod';
import type { MonitorSample } from '../../../shared/dto/monitor';
import { defineTool } from '../toolkit';

const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The few figures that say whether the lab is fit for heavy work. */
function hardware(s: MonitorSample) {
  const temps = s.temps.filter((t) => t.celsius !== null);
  const hottest = temps.reduce<(typeof temps)[number] | null>((a, t) => (a === null || t.celsius! > a.celsius! ? t : a), null);
  return {
    cpuLoadPct: round(s.cpu.totalPct),
    load: s.load,
    hottest: hottest ? { sensor: hottest.label, celsius: hottest.celsius } : null,
    memoryUsedPct: round(s.memory.usedPct),
    disks: s.disks.filter((d) => d.usedPct !== null).map((d) => ({ mount: d.mount, usedPct: round(d.usedPct) })),
    gpus: s.gpus.map((g) => ({ name: g.name, tempC: g.tempC, utilPct: g.utilPct })),
    unavailable: s.unavailable.map((u) => u.sensor),
  };
}

export const labStatusTool = defineTool({
  name: 'lab_status',
  title: 'Lab status',
  description:
    'A snapshot of the lab: CPU load and temperatures, memory, disks and GPUs, every lab host\'s figures (labHosts: state, CPU/GPU temperature, load, memory, fullest disk), open alerts, the job queue, whether ffmpeg/ffprobe work, and the last emergency kill-switch run. Read-only; call it before starting heavy work.',
  input: z.object({}).strict(),
  output: z.looseObject({
    media: z.looseObject({}),
    hardware: z.looseObject({ cpuLoadPct: z.number().nullable(), memoryUsedPct: z.number().nullable() }),
    openAlerts: z.array(z.looseObject({ label: z.string() })),
    queue: z.looseObject({}),
    lastKillSwitchRun: z.looseObject({}).nullable(),
  }),
  readOnly: true,
  async run(_args, { call }) {
    const [doctor, lastKill, sample, alerts, jobs, hosts] = await Promise.all([
      call('system.doctor', {}),
      call('killswitch.lastRun', {}),
      call('monitor.current', {}),
      call('monitor.alerts', { limit: 50 }),
      call('jobs.list', { limit: 1 }),
      call('monitor.hosts', {}),
    ]);
    return {
      media: {
        ffmpeg: doctor.ffmpeg.path ? { version: doctor.ffmpeg.version, hardwareEncoders: doctor.ffmpeg.hardwareEncoders } : { missing: doctor.ffmpeg.problem },
        ffprobe: doctor.ffprobe.path ? { version: doctor.ffprobe.version } : { missing: doctor.ffprobe.problem },
      },
      cpus: doctor.cpus,
      hardware: hardware(sample),
      // The lab's other hosts (agents), from their newest samples; empty without a lab.
      labHosts: hosts.flatMap((h) => (h.host === null ? [] : [{ name: h.host, state: h.state, lastSeen: h.lastSeen === null ? null : new Date(h.lastSeen).toISOString(), ...h.summary }])),
      openAlerts: alerts.filter((a) => a.clearedAt === null).map((a) => ({ label: a.label, level: a.level, value: a.value, unit: a.unit, since: new Date(a.startedAt).toISOString() })),
      queue: jobs.queue,
      lastKillSwitchRun: lastKill ? { at: lastKill.startedAt, dryRun: lastKill.dryRun, status: lastKill.status } : null,
    };
  },
});
