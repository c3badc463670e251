import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/dto/jobs';
import { church, CHURCH_BIN } from '../helpers/cli';
import { connectMcp } from '../helpers/mcp';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

// A job held for disk space says so everywhere: `church transcode --wait`'s progress line, `church jobs`,
// `church job --json` (from any process), MCP's transcode answer; and `--if-no-space fail` fails instead.
// A real 2 MB filesystem (tmpfs, needs root) inside the data dir's outputs folder, where MCP may write too.

const dataDir = tempDir('church-hold-');
const small = join(dataDir, 'outputs', 'small');
mkdirSync(small, { recursive: true });
let mounted = false;
if (process.getuid?.() === 0) {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small], { timeout: 10_000 });
  mounted = r.status === 0;
  if (!mounted) console.log(`disk-hold tests skipped: mounting a 2 MB tmpfs failed (${r.stderr.toString().trim()})`);
} else {
  console.log('disk-hold tests skipped: mounting a small tmpfs needs root, and this test runs as an ordinary user');
}

describe.skipIf(!mounted)('a job held for disk space (a real 2 MB tmpfs)', () => {
  const env = { CHURCH_NO_ATTACH: '1' };
  const cli = (args: string[]) => church([...args, '--data-dir', dataDir], { env });
  const fast = ['--param', 'x264Preset=ultrafast', '--param', 'remuxWhenCompliant=false'];
  let videoId = 0;

  beforeAll(async () => {
    const clip = await makeClip(join(tempDir('church-hold-media-'), 'held.mp4'), { seconds: 2 });
    expect((await cli(['import', clip, '--no-assets'])).code).toBe(0);
    videoId = (JSON.parse((await cli(['search', 'held', '--json'])).stdout) as { id: number }[])[0]!.id;
    // All but 256 kB taken: even the remuxed 2 s clip (its size plus 10 %, plus 262 kB kept free) waits for room.
    writeFileSync(join(small, 'filler'), Buffer.alloc(1792 * 1024, 1));
  }, 60_000);
  afterAll(() => {
    spawnSync('umount', [small], { timeout: 10_000 });
  });

  it('transcode --wait says it is held (needed, free, which disk); church jobs and church job --json show it from another process', async () => {
    const child = spawn(process.execPath, [CHURCH_BIN, 'transcode', String(videoId), '--preset', 'web', ...fast, '--out', small, '--wait', '--data-dir', dataDir], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const holdLine = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const line = err.split('\n').find((l) => /is waiting for disk space/.test(l));
        if (line) resolve(line);
      });
      child.once('exit', () => reject(new Error(`transcode ended without saying it waits: ${err}`)));
    });
    expect(holdLine).toMatch(new RegExp(`^job #\\d+ is waiting for disk space: needs [\\d.]+ MB, [\\d.]+ (k?B|MB) free in ${small} \\(tmpfs mounted at ${small}\\); it starts when there is room`));
    const id = Number(/job #(\d+)/.exec(holdLine)![1]);
    const shown = JSON.parse((await cli(['job', String(id), '--json'])).stdout) as Job;
    expect(shown.status).toBe('queued');
    expect(shown.waiting).toMatchObject({ path: small, disk: { mount: small, device: 'tmpfs' } });
    expect(shown.waiting!.neededBytes).toBeGreaterThan(shown.waiting!.freeBytes);
    expect(shown.waiting!.freeBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect((await cli(['jobs'])).stdout).toMatch(new RegExp(`#${id} +queued .* waiting for disk space: needs [\\d.]+ MB, [\\d.]+ (k?B|MB) free in ${small} \\(tmpfs mounted at ${small}\\)`));
    expect((await cli(['job', String(id)])).stdout).toMatch(/waiting for disk space: .*; it starts when there is room/);
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(readdirSync(small)).toEqual(['filler']);
  }, 120_000);

  it('transcode --wait --if-no-space fail fails at once: exit 1, one line saying why', async () => {
    const r = await cli(['transcode', String(videoId), '--preset', 'web', ...fast, '--out', small, '--wait', '--if-no-space', 'fail']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout.trim()).toMatch(new RegExp(`^job #\\d+ failed: not enough disk space in ${small}: the output needs about [\\d.]+ MB .*, [\\d.]+ (k?B|MB) is free; free some space there or choose another output folder, then retry$`));
    expect((await cli(['transcode', String(videoId), '--preset', 'web', '--if-no-space', 'maybe'])).code).toBe(2);
  }, 120_000);

  // Soak finding 1: an output the whole disk cannot hold waited for good (`--wait` never returned).
  it('an output larger than the whole disk: transcode fails at once, saying the disk is too small', async () => {
    const r = await cli(['transcode', String(videoId), '--preset', 'web', ...fast, '--param', 'maxrateKbps=20000', '--out', small, '--wait']);
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`the disk holding ${small} is too small for this output: it needs about [\\d.]+ MB \\(.*plus 262 kB kept free on the disk\\), and the whole disk is 2\\.1 MB; choose another output folder`));
  }, 120_000);

  it("MCP's transcode answer carries the hold, with and without wait", async () => {
    const mcp = await connectMcp(dataDir, env);
    try {
      for (const wait of [false, true]) {
        const r = (await mcp.client.callTool({ name: 'transcode', arguments: { videoId, preset: 'web', outDir: small, wait } })).structuredContent as { status: string; waiting?: { path: string; neededBytes: number; freeBytes: number; disk: unknown } };
        expect(r.status).toBe('queued');
        expect(r.waiting).toMatchObject({ path: small, disk: { mount: small, device: 'tmpfs' } });
        expect(r.waiting!.neededBytes).toBeGreaterThan(r.waiting!.freeBytes);
      }
    } finally {
      await mcp.close();
    }
  }, 120_000);
});
