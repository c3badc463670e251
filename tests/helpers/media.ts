import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';

export interface ClipSpec {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Add a sine audio track. */
  audio?: boolean;
  vcodec?: string;
  pixFmt?: string;
  /** Extra output args (e.g. ['-metadata:s:v', 'rotate=90']). */
  extra?: string[];
}

/** Generates a small test clip from ffmpeg's lavfi sources: the repo holds no media binaries. */
export async function makeClip(out: string, spec: ClipSpec = {}): Promise<string> {
  const ffmpeg = resolveBinary('ffmpeg').path;
  if (!ffmpeg) throw new Error('ffmpeg is required for the media tests');
  const s = { seconds: 1, width: 320, height: 240, fps: 25, audio: true, vcodec: 'libx264', pixFmt: 'yuv420p', ...spec };
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${s.width}x${s.height}:rate=${s.fps}:duration=${s.seconds}`];
  if (s.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${s.seconds}`);
  args.push('-c:v', s.vcodec, '-pix_fmt', s.pixFmt);
  if (s.vcodec === 'libx264') args.push('-preset', 'ultrafast');
  if (s.audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-shortest', ...(s.extra ?? []), out);
  const r = await runProcess(ffmpeg, args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`ffmpeg could not make ${out}: ${r.spawnError ?? r.stderr}`);
  return out;
}
