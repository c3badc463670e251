import { spawn } from 'node:child_process';
import { LOUDNESS_WINDOW_SEC, normaliseLoudness, type LoudnessTrack } from '../../../shared/avatar';
import { ChurchError } from '../../../shared/errors';
import { resolveBinary } from '../../platform/media/resolveBinaries';

/** Low rate on purpose: loudness per 20 ms needs no more, and an hour of mono floats stays small to stream. */
const SAMPLE_RATE = 8000;

/** ffmpeg arguments that decode a file's first audio stream to mono 32-bit floats on stdout. */
export function buildLoudnessArgs(path: string): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 'f32le', 'pipe:1'];
}

/**
 * The loudness track of a file's audio (RMS per 20 ms window, normalised to the loudest), streamed from
 * ffmpeg so a long video never sits in memory; null when the file has no audio stream. Bounded in time,
 * always reaped.
 */
export function measureLoudness(path: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LoudnessTrack | null> {
  const ffmpeg = resolveBinary('ffmpeg', opts.env);
  if (!ffmpeg.path) return Promise.reject(new ChurchError('UNAVAILABLE', ffmpeg.problem ?? 'ffmpeg was not found'));
  const windowSamples = Math.round(SAMPLE_RATE * LOUDNESS_WINDOW_SEC);
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path!, buildLoudnessArgs(path), { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, windowsHide: true });
    const rms: number[] = [];
    let sum = 0;
    let count = 0;
    let carry: Buffer = Buffer.alloc(0);
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10 * 60_000);
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = buf.length - (buf.length % 4);
      for (let off = 0; off < whole; off += 4) {
        const v = buf.readFloatLE(off);
        sum += v * v;
        if (++count === windowSamples) {
          rms.push(Math.sqrt(sum / count));
          sum = 0;
          count = 0;
        }
      }
      carry = buf.subarray(whole);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ChurchError('UNAVAILABLE', `ffmpeg could not be started (${e.message}); check the ffmpeg install`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (count > 0) rms.push(Math.sqrt(sum / count));
      if (code === 0) return resolve(normaliseLoudness(rms));
      if (/matches no streams|does not contain any stream/i.test(stderr)) return resolve(null);
      const why = signal ? `stopped (${opts.signal?.aborted ? 'cancelled' : 'took too long'})` : `failed: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`;
      reject(new ChurchError('EXTERNAL', `measuring the loudness of the audio ${why}; check that the file plays`));
    });
  });
}
