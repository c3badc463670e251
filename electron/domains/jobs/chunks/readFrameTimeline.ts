import { resolveBinary } from '../../../platform/media';
import { runProcess } from '../../../platform/process';
import { ChurchError } from '../../../../shared/errors';
import { parseFrameTimeline, type FrameTimeline } from './planChunks';

/**
 * Lists the video's packets (pts and keyframe flag) with ffprobe. It reads the container only, no decoding:
 * a two-hour 1080p file takes seconds.
 */
export async function readFrameTimeline(path: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<FrameTimeline> {
  const bin = resolveBinary('ffprobe', env);
  if (!bin.path) throw new ChurchError('UNAVAILABLE', bin.problem ?? 'ffprobe was not found');
  const res = await runProcess(bin.path, [
    '-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'packet=pts,flags:stream=time_base,avg_frame_rate:format=start_time',
    '-of', 'json', `file:${path}`,
  ], { env, timeoutMs, killGraceMs: 500, maxOutputBytes: 256 * 1024 * 1024 });
  if (res.timedOut) throw new ChurchError('TIMEOUT', `listing the keyframes of ${path} took longer than ${Math.round(timeoutMs / 1000)} s; check the disk, or set chunkSeconds to 0 to encode in one piece`);
  if (res.code !== 0) throw new ChurchError('EXTERNAL', `ffprobe could not list the keyframes of ${path} (${res.stderr.trim().split('\n').pop() ?? `exit ${res.code}`}); rescan the file, or set chunkSeconds to 0 to encode in one piece`);
  return parseFrameTimeline(res.stdout);
}
