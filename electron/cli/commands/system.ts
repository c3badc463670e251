import type { DoctorReport } from '../../../shared/dto/system';
import type { CliCommand } from '../command';
import { secretAgeLines } from './secretAgeLines';

function renderDoctor(r: DoctorReport): string {
  const bin = (name: string, b: DoctorReport['ffprobe']) =>
    b.path ? `${name.padEnd(8)} ${b.version ?? '?'}  (${b.source}: ${b.path})${b.problem ? `\n         ! ${b.problem}` : ''}` : `${name.padEnd(8)} MISSING  ${b.problem ?? ''}`;
  return [
    `${r.app.name} ${r.app.version}  (node ${r.node}, ${r.platform}/${r.arch}, ${r.cpus} cores)`,
    bin('ffmpeg', r.ffmpeg),
    bin('ffprobe', r.ffprobe),
    `usable   ${r.ffmpeg.usableEncoders.join(', ') || 'none'}  (passed a test encode here)`,
    `built in ${r.ffmpeg.hardwareEncoders.join(', ') || 'no hardware encoders'}  (compiled into ffmpeg${r.ffmpeg.hardwareEncoders.some((e) => !r.ffmpeg.usableEncoders.includes(e)) ? '; the ones not listed as usable have no working device or driver here' : ''})`,
    `data dir ${r.dataDir}`,
    `sqlite   ${r.sqlite.version} (${r.sqlite.journalMode})  schema ${Object.entries(r.schema).map(([k, v]) => `${k}@${v}`).join(' ')}`,
    ...(r.warnings ?? []).map((w) => `warning  ${w}`),
  ].join('\n');
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check ffmpeg/ffprobe, encoders, the data dir and the database',
  usage: 'church doctor [--json]',
  checkDatabase: 'full',
  async run(ctx) {
    const report = await ctx.local().call('system.doctor', {});
    // The running studio's secrets when one runs (its store and dates), else this process's.
    const secrets = await (await ctx.client()).call('secrets.ages', {});
    ctx.print({ ...report, secrets }, () => [renderDoctor(report), ...secretAgeLines(secrets)].join('\n'));
    return report.ffmpeg.path && report.ffprobe.path && !report.ffmpeg.problem && !report.ffprobe.problem ? 0 : 1;
  },
};
