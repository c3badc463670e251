import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../electron/platform/process';
import { church, CHURCH_BIN } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

// The church CLI as a child process, with no studio running: the command runs the engine in-process.
let clip = '';
beforeAll(async () => {
  clip = await makeClip(join(tempDir('church-jobs-cli-media-'), 'clip.mp4'), { seconds: 1 });
});

describe('church CLI', () => {
  const dataDir = tempDir('church-jobs-cli-');
  const env = { CHURCH_NO_ATTACH: '1' };
  const cli = (args: string[]) => church([...args, '--data-dir', dataDir], { env });

  it('transcode --wait with progress on stderr, jobs, and one-line errors', async () => {
    expect((await cli(['import', clip, '--no-assets'])).code).toBe(0);
    const run = await cli(['transcode', '1', '--preset', 'hls', '--param', 'x264Preset=ultrafast', '--param', 'segmentSec=0.5', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^done: .*clip\.hls/);
    expect(run.stderr).toMatch(/job #1: HLS 320x240/);
    expect(run.stderr).toMatch(/100\.0%/);
    // Without a terminal the end is one line, not two.
    expect(run.stderr.split('\n').filter((l) => l.includes('100.0%'))).toHaveLength(1);
    const jobs = await cli(['jobs']);
    expect(jobs.stdout).toMatch(/^queue running: 0 running, 0 queued/);
    expect(jobs.stdout).toMatch(/#1 +done .*hls/);
    const nope = await cli(['transcode', '1', '--preset', 'nope']);
    expect(nope.code).toBe(1);
    expect(nope.stderr.trim().split('\n')).toHaveLength(1);
    expect(nope.stderr).toMatch(/there is no preset "nope"/);
    const conflict = await cli(['retry', '1', '--json']);
    expect(JSON.parse(conflict.stderr)).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('says which command lists the ids, and exits 1 for an impossible request, 2 for bad usage', async () => {
    const missing = await cli(['transcode', '99', '--preset', 'web']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/"church list"/);
    expect(missing.stderr).not.toMatch(/church library/);
    // A clip without an audio track: the audio preset is a well-formed request this video cannot satisfy.
    const silent = await makeClip(join(tempDir('church-jobs-cli-silent-'), 'silent.mp4'), { seconds: 1, audio: false });
    const imported = await cli(['import', silent, '--no-assets', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const found = JSON.parse((await cli(['search', 'silent', '--json'])).stdout) as { id: number }[];
    const noAudio = await cli(['transcode', String(found[0]!.id), '--preset', 'audio', '--json']);
    expect(noAudio.code, noAudio.stderr).toBe(1);
    expect(JSON.parse(noAudio.stderr)).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await cli(['transcode', '--preset', 'web'])).code).toBe(2);
  });

  it('transcode --chunk-seconds refuses a length it cannot use, in one line', async () => {
    const bad = await church(['transcode', '1', '--preset', 'web', '--chunk-seconds', '1', '--data-dir', tempDir('church-jobs-cli-chunks-')], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--chunk-seconds must be 0 .* or a number of seconds from 2 to 3600/);
  }, 120_000);

  it('transcode --out with a relative folder writes under the directory the command was typed in', async () => {
    const cwd = tempDir('church-jobs-cli-cwd-');
    mkdirSync(join(cwd, 'sub'));
    const run = await runProcess(process.execPath, [CHURCH_BIN, 'transcode', '1', '--preset', 'thumbnail', '--out', 'renders', '--wait', '--json', '--data-dir', dataDir], {
      cwd: join(cwd, 'sub'),
      env: { ...process.env, ...env },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const job = JSON.parse(run.stdout) as { outputPath: string; status: string };
    expect(job.status).toBe('done');
    expect(job.outputPath.startsWith(join(cwd, 'sub', 'renders') + '/')).toBe(true);
    expect(existsSync(job.outputPath)).toBe(true);
  });
});
