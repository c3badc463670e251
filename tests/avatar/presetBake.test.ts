import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { avatarLayout, avatarStateAt, compositeOver, drawOverlayFrame, placeAvatar, type AvatarCue } from '../../shared/avatar';
import type { OverlaySettings } from '../../shared/dto/avatar';
import type { Job } from '../../shared/dto/jobs';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import { testHost } from '../helpers/host';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

const W = 320;
const H = 240;

/**
 * The whole path a user takes: a cue track saved through the contract, the avatar-overlay preset queued on the
 * job engine, and the finished file compared, frame by frame, with what the preview draws at those times.
 */
describe('the avatar-overlay preset bakes what the preview shows', () => {
  const host = testHost();
  const dir = tempDir('church-avatar-preset-');
  const ffmpeg = resolveBinary('ffmpeg').path!;
  let videoId: number;
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await host.dispatch(name, input, { actor: 'ui' })) as Result<T>;
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const cues: AvatarCue[] = [
    { id: 'a', at: 0, expression: 'talking', say: 'Peace be with you' },
    { id: 'b', at: 1, expression: 'angry', corner: 'top-right', say: '' },
  ];

  beforeAll(async () => {
    const clip = await makeClip(join(dir, 'homily.mp4'), { seconds: 2, width: W, height: H });
    expect((await call<ImportSummary>('library.import', { paths: [clip], assets: false })).imported).toBe(1);
    videoId = (await call<VideoPage>('library.search', {})).items[0]!.id;
  });

  /** Bakes the saved track with the preset and compares frames with what the preview draws at the output size. */
  async function bakeAndCompare(outName: string, maxHeight: number | null, w: number, h: number) {
    const look = await call<OverlaySettings>('avatar.setSettings', { corner: 'bottom-left', sizePct: 50, marginPct: 2, opacity: 1 });
    await call('avatar.saveTrack', { videoId, cues });
    let job = await call<Job>('jobs.enqueue', { videoId, preset: 'avatar-overlay', params: { source: 'cue-track', crf: 8, maxHeight }, outDir: join(dir, outName) });
    job = await waitFor(`job ${job.id} to end`, async () => {
      const j = await call<Job>('jobs.get', { id: job.id });
      return ['done', 'failed', 'cancelled'].includes(j.status) && j;
    }, 45_000);
    expect(job.status, job.error ?? job.logTail).toBe('done');

    for (const t of [0.5, 1.5]) {
      const frames = await Promise.all(
        [job.outputPath, join(dir, 'homily.mp4')].map(async (file, i) => {
          const raw = join(dir, `${outName}-${t}-${i}.rgba`);
          // The original is scaled the way the preset scales it, so only the avatar differs.
          const r = await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(t), '-i', file, '-frames:v', '1', '-vf', `scale=${w}:${h}`, '-f', 'rawvideo', '-pix_fmt', 'rgba', raw], { timeoutMs: 30_000 });
          expect(r.code, r.stderr).toBe(0);
          return new Uint8Array(readFileSync(raw));
        }),
      );
      const [baked, original] = frames as [Uint8Array, Uint8Array];
      const state = avatarStateAt(cues, t);
      const p = placeAvatar(look, state, w, h);
      const { cx, cy, r } = avatarLayout(p.size, p.size).face;
      const box = { x0: Math.floor(p.x + cx - 0.6 * r), x1: Math.ceil(p.x + cx + 0.6 * r), y0: Math.floor(p.y + cy - 0.45 * r), y1: Math.ceil(p.y + cy + 0.7 * r) };
      const mad = (expected: Uint8ClampedArray) => {
        let sum = 0;
        let n = 0;
        for (let y = box.y0; y < box.y1; y++) {
          for (let x = box.x0; x < box.x1; x++) {
            for (let c = 0; c < 3; c++) sum += Math.abs(baked[(y * w + x) * 4 + c]! - expected[(y * w + x) * 4 + c]!);
            n += 3;
          }
        }
        return sum / n;
      };
      const same = mad(compositeOver(original, drawOverlayFrame(look, state, w, h)));
      const otherExpression = mad(compositeOver(original, drawOverlayFrame(look, { ...state, expression: 'sleepy' }, w, h)));
      const otherCorner = mad(compositeOver(original, drawOverlayFrame(look, { ...state, corner: state.corner === 'top-right' ? 'bottom-left' : 'top-right' }, w, h)));
      expect(same, `t=${t}`).toBeLessThan(4);
      expect(otherExpression, `t=${t}`).toBeGreaterThan(10);
      expect(otherCorner, `t=${t}`).toBeGreaterThan(10);
    }
  }

  it('renders the saved track into the output file at the right times and places', () => bakeAndCompare('out', null, W, H));

  it('places the avatar right when the preset scales the video down (maxHeight)', () => bakeAndCompare('out-small', 120, 160, 120));
});
