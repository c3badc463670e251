import { z } from 'zod';
import { defineTool } from '../toolkit';

export const labStatusTool = defineTool({
  name: 'lab_status',
  title: 'Lab status',
  description:
    'A snapshot of the lab: whether ffmpeg/ffprobe work, and the last emergency kill-switch run. Read-only; call it before starting heavy work.',
  input: z.object({}).strict(),
  readOnly: true,
  async run(_args, { call }) {
    const [doctor, lastKill] = await Promise.all([call('system.doctor', {}), call('killswitch.lastRun', {})]);
    return {
      media: {
        ffmpeg: doctor.ffmpeg.path ? { version: doctor.ffmpeg.version, hardwareEncoders: doctor.ffmpeg.hardwareEncoders } : { missing: doctor.ffmpeg.problem },
        ffprobe: doctor.ffprobe.path ? { version: doctor.ffprobe.version } : { missing: doctor.ffprobe.problem },
      },
      cpus: doctor.cpus,
      lastKillSwitchRun: lastKill ? { at: lastKill.startedAt, dryRun: lastKill.dryRun, status: lastKill.status } : null,
    };
  },
});
