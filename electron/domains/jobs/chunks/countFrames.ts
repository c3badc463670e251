import { resolveBinary } from '../../../platform/media';
import { runProcess } from '../../../platform/process';

/** Video frames in a finished output (packets counted from the container, no decoding); null when unknown. */
export async function countFrames(path: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  const bin = resolveBinary('ffprobe', env);
  if (!bin.path) return null;
  const r = await runProcess(bin.path, ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', `file:${path}`], { env, timeoutMs: 120_000 });
  const n = Number.parseInt(r.stdout.trim(), 10);
  return r.code === 0 && Number.isFinite(n) ? n : null;
}
