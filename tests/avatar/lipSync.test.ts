import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureLoudness } from '../../electron/domains/avatar/measureLoudness';
import { resolveBinary } from '../../electron/platform/media';
import { runProcess } from '../../electron/platform/process';
import {
  avatarFrameAt,
  blinkAt,
  BLINK_SEC,
  easeInOut,
  mouthFromLoudness,
  MOUTH_HOLD_SEC,
  normaliseLoudness,
  type AvatarCue,
} from '../../shared/avatar';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

const ffmpeg = resolveBinary('ffmpeg').path!;

/** 4 s of video whose sound is loud 0-1 s, silent 1-2 s, quiet (a fifth of the loudness) 2-3 s, loud 3-4 s. */
async function spokenClip(out: string): Promise<string> {
  const volume = "volume='if(between(t,1,2),0,if(between(t,2,3),0.2,1))':eval=frame";
  const r = await runProcess(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=48000:duration=4',
      '-af', volume, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', '-shortest', out],
    { timeoutMs: 60_000 },
  );
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

describe('lip sync from the loudness track', () => {
  const dir = tempDir('church-lipsync-');

  it('opens the mouth over loud spans, keeps it open for the hold, closes it in silence', async () => {
    const track = (await measureLoudness(await spokenClip(join(dir, 'spoken.mkv'))))!;
    expect(track.windowSec).toBe(0.02);
    expect(track.levels.length).toBeGreaterThanOrEqual(199);
    expect(Math.max(...track.levels)).toBe(100);
    // Windows well inside each span: loud, silent, quiet (20 % amplitude), loud again.
    expect(track.levels[25]).toBeGreaterThan(90);
    expect(track.levels[75]).toBe(0);
    expect(track.levels[125]).toBeGreaterThan(15);
    expect(track.levels[125]).toBeLessThan(30);
    expect(track.levels[175]).toBeGreaterThan(90);

    const mouth = (t: number) => avatarFrameAt([], t, { loudness: track }).mouth;
    expect(mouth(0.5)).toBe(3);
    // The sound stops at 1 s: the mouth holds for MOUTH_HOLD_SEC, then closes, and stays closed in silence.
    expect(mouth(1 + MOUTH_HOLD_SEC / 2)).toBe(3);
    expect(mouth(1 + MOUTH_HOLD_SEC + 0.05)).toBe(0);
    expect(mouth(1.5)).toBe(0);
    // Quiet speech opens it a little, loud speech wide.
    expect(mouth(2.5)).toBe(1);
    expect(mouth(3.5)).toBe(3);
    expect(mouth(4.5)).toBe(0);
    // The whole silent span, sampled every frame after the hold: never open.
    for (let t = 1 + MOUTH_HOLD_SEC + 0.04; t < 1.98; t += 0.04) expect(mouth(t), `t=${t}`).toBe(0);
  });

  it('says null for a file without audio and fails clearly for a broken one', async () => {
    const silent = await makeClip(join(dir, 'mute.mp4'), { seconds: 1, audio: false });
    expect(await measureLoudness(silent)).toBeNull();
    await expect(measureLoudness(join(dir, 'missing.mp4'))).rejects.toThrow(/loudness.*check that the file plays/);
  });

  it('normalises to the loudest window; all-silent stays closed', () => {
    expect(normaliseLoudness([0, 0.5, 0.25]).levels).toEqual([0, 100, 50]);
    expect(normaliseLoudness([0, 0]).levels).toEqual([0, 0]);
    expect(mouthFromLoudness({ windowSec: 0.02, levels: [0, 0] }, 0.01)).toBe(0);
  });
});

describe('the avatar in motion', () => {
  const cues: AvatarCue[] = [
    { id: 'a', at: 1, expression: 'happy', fadeMs: 500 },
    { id: 'b', at: 2, corner: 'top-left', sizePct: 50, moveMs: 1000 },
    { id: 'c', at: 3, say: 'Hello there', speakSec: 0.5 },
    { id: 'd', at: 4, expression: 'happy', fadeMs: 2000 },
  ];

  it('fades an expression in over fadeMs, in steps, and not again for the same expression', () => {
    expect(avatarFrameAt(cues, 0.99)).toMatchObject({ expression: 'neutral', fromExpression: null, fade: 1 });
    expect(avatarFrameAt(cues, 1)).toMatchObject({ expression: 'happy', fromExpression: 'neutral', fade: 0 });
    expect(avatarFrameAt(cues, 1.25)).toMatchObject({ expression: 'happy', fromExpression: 'neutral', fade: 0.5 });
    expect(avatarFrameAt(cues, 1.5)).toMatchObject({ expression: 'happy', fromExpression: null, fade: 1 });
    expect(avatarFrameAt(cues, 4.1)).toMatchObject({ expression: 'happy', fromExpression: null, fade: 1 });
    // Default fade 250 ms; fadeMs 0 switches at once.
    expect(avatarFrameAt([{ id: 'x', at: 0, expression: 'sad' }], 0.125).fade).toBe(0.5);
    expect(avatarFrameAt([{ id: 'x', at: 0, expression: 'sad', fadeMs: 0 }], 0).fade).toBe(1);
  });

  it('eases a move between corners and sizes over moveMs', () => {
    expect(avatarFrameAt(cues, 2)).toMatchObject({ corner: 'top-left', fromCorner: null, sizePct: 50, fromSizePct: null, move: 0 });
    expect(avatarFrameAt(cues, 2.5).move).toBeCloseTo(0.5, 10);
    expect(avatarFrameAt(cues, 2.25).move).toBeCloseTo(easeInOut(0.25), 10);
    expect(avatarFrameAt(cues, 3).move).toBe(1);
  });

  it('types the bubble in and moves the mouth during a speech span only', () => {
    expect(avatarFrameAt(cues, 3).sayChars).toBe(1);
    expect(avatarFrameAt(cues, 3.1).sayChars).toBe(5);
    expect(avatarFrameAt(cues, 3.5).sayChars).toBe(11);
    const mouths = [3, 3.1, 3.2, 3.3, 3.4].map((t) => avatarFrameAt(cues, t).mouth);
    expect(Math.max(...mouths)).toBeGreaterThan(0);
    expect(new Set(mouths).size).toBeGreaterThan(1);
    expect(avatarFrameAt(cues, 3.5).mouth).toBe(0);
    expect(avatarFrameAt(cues, 2.9).mouth).toBe(0);
  });

  it('blinks briefly once per few seconds, at moments fixed by the seed', () => {
    const shut: number[] = [];
    for (let i = 0; i < 2000; i++) if (blinkAt(42, i / 100)) shut.push(i / 100);
    // 20 s: one blink of BLINK_SEC per 4 s slot.
    expect(shut.length).toBeGreaterThanOrEqual(5 * Math.floor(BLINK_SEC * 100) - 5);
    expect(shut.length).toBeLessThanOrEqual(5 * Math.ceil(BLINK_SEC * 100) + 5);
    expect(shut.every((t) => blinkAt(42, t))).toBe(true);
    expect(shut).not.toEqual(((): number[] => {
      const other: number[] = [];
      for (let i = 0; i < 2000; i++) if (blinkAt(7, i / 100)) other.push(i / 100);
      return other;
    })());
    expect(avatarFrameAt([], shut[0]!, { blinkSeed: 42 }).blink).toBe(true);
    expect(avatarFrameAt([], shut[0]!).blink).toBe(false);
  });
});
