import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FACE_IMAGE_SIZE, type FaceImage } from '../../../shared/avatar';
import { ChurchError } from '../../../shared/errors';
import { resolveBinary } from '../../platform/media/resolveBinaries';
import { runProcess } from '../../platform/process';

/** ffmpeg arguments that cut one frame at atSec (a still image: its only frame) to a centred square of RGBA. */
export function buildFacePictureArgs(path: string, atSec: number, out: string, size = FACE_IMAGE_SIZE): string[] {
  const seek = atSec > 0 ? ['-ss', atSec.toFixed(3)] : [];
  const square = `scale=${size}:${size}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size}:${size},format=rgba`;
  return ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...seek, '-i', path, '-frames:v', '1', '-vf', square, '-f', 'rawvideo', out];
}

/**
 * The face picture of a video (a frame at atSec) or an image file: FACE_IMAGE_SIZE square RGBA, written by
 * ffmpeg to a private temp file and read back. A file ffmpeg cannot read, or a time past the end, is a clear error.
 */
export async function extractFacePicture(path: string, atSec: number, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<FaceImage> {
  const ffmpeg = resolveBinary('ffmpeg', opts.env);
  if (!ffmpeg.path) throw new ChurchError('UNAVAILABLE', ffmpeg.problem ?? 'ffmpeg was not found');
  const dir = await mkdtemp(join(tmpdir(), 'church-face-'));
  try {
    const out = join(dir, 'face.rgba');
    const r = await runProcess(ffmpeg.path, buildFacePictureArgs(path, atSec, out), { env: opts.env, timeoutMs: opts.timeoutMs ?? 30_000 });
    const bytes = r.code === 0 ? await readFile(out).catch(() => null) : null;
    const want = FACE_IMAGE_SIZE * FACE_IMAGE_SIZE * 4;
    if (!bytes || bytes.length !== want) {
      const why = r.stderr.trim().split('\n').at(-1) || (bytes ? `it gave ${bytes.length} bytes` : atSec > 0 ? `there is no frame at ${atSec} s` : 'no picture came out');
      throw new ChurchError('EXTERNAL', `ffmpeg could not take the avatar's face from ${basename(path)}: ${why}; pick another time or file ("Drawn from" in the overlay settings)`);
    }
    return { size: FACE_IMAGE_SIZE, rgba: new Uint8Array(bytes) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
