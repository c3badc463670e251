import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../shared/dto/system';
import { church, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs } from '../helpers/wsClient';

describe('church CLI', () => {
  const dataDir = tempDir('church-cli-');

  it('doctor --json reports ffmpeg, ffprobe, the data dir and SQLite', async () => {
    const r = await church(['doctor', '--json', '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.ffmpeg.path).toBeTruthy();
    expect(report.ffmpeg.version).toMatch(/^\S+/);
    expect(report.ffmpeg.encoders).toContain('libx264');
    expect(report.ffprobe.path).toBeTruthy();
    expect(report.dataDir).toBe(dataDir);
    expect(report.sqlite.journalMode).toBe('wal');
    expect(report.schema.audit).toBeGreaterThanOrEqual(1);
  });

  it('takes the data dir from CHURCH_DATA_DIR when no flag is given', async () => {
    const other = tempDir('church-env-');
    const r = await church(['doctor', '--json'], { env: { CHURCH_DATA_DIR: other } });
    expect((JSON.parse(r.stdout) as DoctorReport).dataDir).toBe(other);
  });

  it('doctor fails clearly when ffmpeg is missing', async () => {
    const r = await church(['doctor', '--json', '--data-dir', dataDir], { env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as DoctorReport).ffmpeg.problem).toContain('FFMPEG_PATH');
  });

  it('fails with one line and a non-zero exit on bad usage', async () => {
    const unknown = await church(['frobnicate', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badFlag = await church(['doctor', '--bogus', '--json', '--data-dir', dataDir]);
    expect(badFlag.code).toBe(2);
    const err = JSON.parse(badFlag.stderr.trim()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('INVALID_INPUT');
    expect(err.error.message).toContain('--bogus');
    expect(err.error.message).toContain('"church doctor --help"');
    const help = await church(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
    expect(help.stdout).toContain('serve');
  });

  it('serve prints a loopback URL whose WebSocket round-trips a contract call', async () => {
    const serve = await startServe(dataDir);
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const token = new URL(serve.url).searchParams.get('token')!;
      const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
      c.send(JSON.stringify({ id: 'a', name: 'system.ping', input: { echo: 'cli' } }));
      expect(await c.next((m) => m.type === 'result')).toMatchObject({ id: 'a', result: { ok: true, value: { echo: 'cli' } } });
      c.close();
    } finally {
      await serve.stop();
    }
    expect(serve.child.exitCode).toBe(0);
  });
});
