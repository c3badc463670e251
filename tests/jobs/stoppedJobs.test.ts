import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/dto/jobs';
import { resolveBinary } from '../../electron/platform/media';
import { church, CHURCH_BIN } from '../helpers/cli';
import { connectMcp } from '../helpers/mcp';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

// Jobs stopped short, through real `church` child processes and real ffmpeg on a generated clip: a cancelled job
// keeps the progress it really made, and a job whose process goes away is never lost between processes.

const realFfmpeg = resolveBinary('ffmpeg').path!;
const bin = tempDir('church-stopped-bin-');
// The real ffmpeg reading its input at the native rate (-re): a 20 s clip takes 20 s on any machine.
const paced = join(bin, 'ffmpeg');
writeFileSync(paced, `#!/bin/sh\nexec "${realFfmpeg}" -re "$@"\n`);
chmodSync(paced, 0o755);
const fast = ['--param', 'x264Preset=ultrafast', '--param', 'remuxWhenCompliant=false'];

describe('jobs stopped short, across church processes', () => {
  const dataDir = tempDir('church-stopped-');
  const env = { CHURCH_NO_ATTACH: '1' };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => church([...args, '--data-dir', dataDir], { env: { ...env, ...extra } });
  const job = async (id: number): Promise<Job> => JSON.parse((await cli(['job', String(id), '--json'])).stdout) as Job;
  let videoId = 0;

  beforeAll(async () => {
    const clip = await makeClip(join(tempDir('church-stopped-media-'), 'twenty.mp4'), { seconds: 20, width: 160, height: 120 });
    const imported = await cli(['import', clip, '--no-assets', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    videoId = (JSON.parse((await cli(['search', 'twenty', '--json'])).stdout) as { id: number }[])[0]!.id;
  }, 60_000);

  it('a job cancelled mid-encode (Ctrl-C on transcode --wait) keeps the percent it encoded, not 99.9', async () => {
    const child = spawn(process.execPath, [CHURCH_BIN, 'transcode', String(videoId), '--preset', 'web', ...fast, '--wait', '--data-dir', dataDir], {
      env: { ...process.env, ...env, FFMPEG_PATH: paced },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Its progress lines (one every 2 s without a terminal): cancel once a few seconds are encoded.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const pcts = [...err.matchAll(/\]\s+([\d.]+)%/g)].map((m) => Number(m[1]));
        if (pcts.some((p) => p >= 10)) resolve();
      });
      child.once('exit', () => reject(new Error(`transcode ended before it could be cancelled: ${err}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const ids = (JSON.parse((await cli(['jobs', '--json'])).stdout) as { jobs: Job[] }).jobs;
    const cancelled = await job(ids.find((j) => j.status === 'cancelled')!.id);
    expect(cancelled.status).toBe('cancelled');
    const { percent, outTimeSec } = cancelled.progress!;
    expect(outTimeSec).toBeGreaterThan(1);
    expect(outTimeSec).toBeLessThan(19);
    // The percent is what was encoded of the 20 s source.
    expect(percent).toBeCloseTo((outTimeSec! / 20) * 100, 0);
    expect(percent).toBeLessThan(96);
    const line = (await cli(['jobs'])).stdout;
    expect(line).toMatch(new RegExp(`#${cancelled.id} +cancelled .* at ${Math.round(percent!)}%`));
  }, 120_000);

  it('a no-wait transcode from a church mcp that exits stays queued (never interrupted), and the next engine finishes it once', async () => {
    const mcp = await connectMcp(dataDir, { ...env, FFMPEG_PATH: paced } as Record<string, string>);
    const answer = (await mcp.client.callTool({ name: 'transcode', arguments: { videoId, preset: 'web', wait: false } })).structuredContent as { id: number };
    const id = answer.id;
    await waitFor(`job ${id} to start in church mcp`, async () => ((await job(id)).status === 'running' ? true : null), 60_000, 300);
    await mcp.close();
    const left = await waitFor(`job ${id} to leave 'running' once church mcp exits`, async () => {
      const j = await job(id);
      return j.status === 'running' ? null : j;
    }, 60_000, 300);
    expect(left).toMatchObject({ status: 'queued', error: null, startedAt: null });
    // The next engine (a church mcp again, with the real ffmpeg) picks it up and finishes it.
    const next = await connectMcp(dataDir, env);
    try {
      const done = (await next.client.callTool({ name: 'job_status', arguments: { id } })).structuredContent as { status: string };
      expect(['queued', 'running', 'done']).toContain(done.status);
      const final = await waitFor(`job ${id} to finish in the next engine`, async () => {
        const j = await job(id);
        return j.status === 'done' || j.status === 'failed' ? j : null;
      }, 120_000, 500);
      expect(final.status, final.error ?? '').toBe('done');
      expect(final.outputIds).toHaveLength(1);
    } finally {
      await next.close();
    }
  }, 180_000);

  it('an interrupted job can be cancelled from the CLI (it neither runs nor stays in the way)', async () => {
    const queued = JSON.parse((await cli(['transcode', String(videoId), '--preset', 'thumbnail', '--wait', '--json'])).stdout) as Job;
    // As a crash under recovery "leave" leaves one: interrupted, for the owner to decide.
    const db = new Database(join(dataDir, 'studio.sqlite'));
    db.prepare("UPDATE jobs SET status = 'interrupted', error = 'the studio stopped while this job was running (crash or power loss)', output_ids = '[]' WHERE id = ?").run(queued.id);
    db.close();
    mkdirSync(join(dataDir, 'jobs-work', String(queued.id)), { recursive: true });
    const cancel = await cli(['cancel', String(queued.id)]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`job #${queued.id} cancelled`));
    expect(await job(queued.id)).toMatchObject({ status: 'cancelled', error: expect.stringMatching(/^cancelled after it was interrupted/) });
    expect(() => statSync(join(dataDir, 'jobs-work', String(queued.id)))).toThrow();
  }, 120_000);
});

describe('finished outputs follow the owner\'s umask', () => {
  const dataDir = tempDir('church-modes-');
  let before = 0;
  beforeAll(() => {
    // The owner's umask, fixed for the children this block starts (they inherit it).
    before = process.umask(0o027);
  });
  afterAll(() => {
    process.umask(before);
  });

  it('a local file and folder output: files 0640, folders 0750 under umask 027', async () => {
    const cli = (args: string[]) => church([...args, '--data-dir', dataDir], { env: { CHURCH_NO_ATTACH: '1' } });
    const clip = await makeClip(join(tempDir('church-modes-media-'), 'modes.mp4'), { seconds: 1 });
    expect((await cli(['import', clip, '--no-assets'])).code).toBe(0);
    const file = JSON.parse((await cli(['transcode', '1', '--preset', 'web', ...fast, '--wait', '--json'])).stdout) as Job;
    expect(file.status, file.error ?? '').toBe('done');
    expect(statSync(file.outputPath).mode & 0o777).toBe(0o640);
    const folder = JSON.parse((await cli(['transcode', '1', '--preset', 'hls', '--param', 'x264Preset=ultrafast', '--wait', '--json'])).stdout) as Job;
    expect(folder.status, folder.error ?? '').toBe('done');
    expect(statSync(folder.outputPath).mode & 0o777).toBe(0o750);
    expect(statSync(join(folder.outputPath, 'index.m3u8')).mode & 0o777).toBe(0o640);
  }, 120_000);
});
