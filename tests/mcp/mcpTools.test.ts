import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { startServe } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { bearer, connectWs, type WsReply } from '../helpers/wsClient';
import { connectMcp, textOf } from '../helpers/mcp';
import { waitFor } from '../helpers/waitFor';

type Mcp = Awaited<ReturnType<typeof connectMcp>>;

async function call(mcp: Mcp, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string; json: () => unknown }> {
  const r = await mcp.client.callTool({ name, arguments: args });
  const text = textOf(r);
  return { isError: r.isError === true, text, json: () => JSON.parse(text) as unknown };
}

/** A data dir with one imported clip, prepared through the contract like the UI would. */
async function libraryWithClip(): Promise<{ dataDir: string; root: string; videoId: number }> {
  const dataDir = tempDir('church-mcp-tools-');
  const root = join(tempDir('church-mcp-lib-'), 'videos');
  mkdirSync(root, { recursive: true });
  await makeClip(join(root, 'sunrise ritual.mp4'), { seconds: 1, width: 320, height: 240 });
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    const imported = await host.dispatch('library.import', { paths: [root], assets: false }, { actor: 'cli' });
    expect(imported, JSON.stringify(imported)).toMatchObject({ ok: true, value: { imported: 1 } });
    const page = await host.dispatch('library.search', { query: 'sunrise' }, { actor: 'cli' });
    if (!page.ok) throw new Error(page.error.message);
    const items = (page.value as { items: { id: number }[] }).items;
    return { dataDir, root, videoId: items[0]!.id };
  } finally {
    await host.close();
  }
}

describe('church mcp tools over stdio', () => {
  let lib: Awaited<ReturnType<typeof libraryWithClip>>;
  let mcp: Mcp;
  beforeAll(async () => {
    lib = await libraryWithClip();
    mcp = await connectMcp(lib.dataDir);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  it('lists every tool with a description and a strict input schema', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['avatar_cue', 'avatar_expressions', 'avatar_state', 'avatar_track_save', 'hls_package', 'job_cancel', 'job_status', 'lab_status', 'library_search', 'subscriber_summary', 'thumbnail', 'transcode', 'video_info'].sort(),
    );
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema, t.name).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(tools.find((t) => t.name === 'transcode')!.annotations?.readOnlyHint).toBe(false);
  });

  it('searches the library and describes a video by id, without paths', async () => {
    const found = await call(mcp, 'library_search', { query: 'sunrise' });
    expect(found.isError, found.text).toBe(false);
    expect(found.json()).toMatchObject({ total: 1, items: [{ id: lib.videoId, title: expect.stringMatching(/sunrise/i), resolution: '320x240' }] });
    const info = await call(mcp, 'video_info', { id: lib.videoId });
    expect(info.isError, info.text).toBe(false);
    expect(info.json()).toMatchObject({ id: lib.videoId, streams: expect.arrayContaining([expect.objectContaining({ type: 'video', codec: 'h264' })]) });
    expect(info.text).not.toContain(lib.root);
  });

  it('queues a transcode and a thumbnail, and polls them to done', async () => {
    const queued = await call(mcp, 'transcode', { videoId: lib.videoId, preset: 'web' });
    expect(queued.isError, queued.text).toBe(false);
    const job = queued.json() as { id: number; status: string };
    const thumb = await call(mcp, 'thumbnail', { videoId: lib.videoId, atSec: 0.5, width: 160 });
    expect(thumb.isError, thumb.text).toBe(false);
    for (const id of [job.id, (thumb.json() as { id: number }).id]) {
      const status = await waitFor(`job ${id} to end`, async () => {
        const s = ((await call(mcp, 'job_status', { id })).json() as { status: string }).status;
        return !['queued', 'running'].includes(s) && s;
      }, 60_000, 200);
      expect(status).toBe('done');
    }
    const info = (await call(mcp, 'video_info', { id: lib.videoId })).json() as { outputs: { preset: string; exists: boolean }[] };
    expect(info.outputs.map((o) => o.preset).sort()).toEqual(['thumbnail', 'web']);
    expect(info.outputs.every((o) => o.exists)).toBe(true);
  });

  it('cancels a queued job', async () => {
    const queued = (await call(mcp, 'hls_package', { videoId: lib.videoId, mode: 'ladder', priority: -100 })).json() as { id: number };
    const cancelled = await call(mcp, 'job_cancel', { id: queued.id });
    expect(cancelled.isError, cancelled.text).toBe(false);
    // It may have started already: either way it ends cancelled, or done if it was faster than the cancel.
    expect(['cancelled', 'done']).toContain((cancelled.json() as { status: string }).status);
  });

  it('gives clear errors for bad arguments, unknown ids and paths outside the library', async () => {
    const bad = await call(mcp, 'transcode', { videoId: 'one', preset: 'web' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/invalid arguments for transcode: videoId/);
    const extra = await call(mcp, 'library_search', { query: 'x', path: '/etc' });
    expect(extra.isError).toBe(true);
    expect(extra.text).toMatch(/invalid arguments for library_search/);
    const unknownVideo = await call(mcp, 'video_info', { id: 999_999 });
    expect(unknownVideo.isError).toBe(true);
    expect(unknownVideo.text).toMatch(/999999/);
    const unknownJob = await call(mcp, 'job_status', { id: 999_999 });
    expect(unknownJob.isError).toBe(true);
    expect(unknownJob.text).toMatch(/999999/);
    const unknownPreset = await call(mcp, 'transcode', { videoId: lib.videoId, preset: 'no-such-preset' });
    expect(unknownPreset.isError).toBe(true);
    expect(unknownPreset.text).toMatch(/no-such-preset/);
    for (const outDir of ['/etc', join(lib.root, '..', '..'), 'relative/out']) {
      const outside = await call(mcp, 'transcode', { videoId: lib.videoId, preset: 'web', outDir });
      expect(outside.isError, outDir).toBe(true);
      expect(outside.text).toMatch(/outside the library roots|not an absolute path/);
    }
    const inside = await call(mcp, 'thumbnail', { videoId: lib.videoId, outDir: join(lib.root, 'thumbs') });
    expect(inside.isError, inside.text).toBe(false);
  });

  it('reports the lab and an empty subscriber summary without personal data', async () => {
    const lab = await call(mcp, 'lab_status', {});
    expect(lab.isError, lab.text).toBe(false);
    const snapshot = lab.json() as { hardware: { cpuLoadPct: number | null; memoryUsedPct: number | null }; queue: { paused: boolean }; labHosts: unknown[] };
    expect(snapshot.queue.paused).toBe(false);
    // No lab configured: no other host.
    expect(snapshot.labHosts).toEqual([]);
    expect(snapshot.hardware.memoryUsedPct).toEqual(expect.any(Number));
    // CPU load is a difference of two samples: right after the server starts it may honestly be unknown (null).
    expect(snapshot.hardware.cpuLoadPct === null || typeof snapshot.hardware.cpuLoadPct === 'number').toBe(true);
    const subs = await call(mcp, 'subscriber_summary', { limit: 5 });
    expect(subs.isError, subs.text).toBe(false);
    expect(subs.json()).toMatchObject({ subscribers: [], activeSubscribers: 0 });
  });
});

describe('avatar cues from an agent reach the open studio live', () => {
  it('pushes a cue to the running studio window and saves one to the track', async () => {
    const lib = await libraryWithClip();
    const serve = await startServe(lib.dataDir);
    const mcp = await connectMcp(lib.dataDir);
    try {
      const token = new URL(serve.url).searchParams.get('token')!;
      const window = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(token));
      const nextCue = async (): Promise<WsReply> => {
        for (;;) {
          const m = await window.next();
          if (m.type === 'event' && m.name === 'avatar.cue') return m;
        }
      };
      const live = await call(mcp, 'avatar_cue', { cue: { expression: 'happy', say: 'Hello from the agent', at: 'now' } });
      expect(live.isError, live.text).toBe(false);
      expect(await nextCue()).toMatchObject({ payload: { videoId: null, cue: { expression: 'happy', say: 'Hello from the agent' }, saved: false } });

      const saved = await call(mcp, 'avatar_cue', { videoId: lib.videoId, cue: { expression: 'surprised', corner: 'top-left', at: 0.5 }, save: true });
      expect(saved.isError, saved.text).toBe(false);
      expect(saved.json()).toMatchObject({ savedCues: 1 });
      expect(await nextCue()).toMatchObject({ payload: { videoId: lib.videoId, saved: true } });

      const unsaveable = await call(mcp, 'avatar_cue', { cue: { expression: 'happy' }, save: true });
      expect(unsaveable.isError).toBe(true);
      const empty = await call(mcp, 'avatar_cue', { cue: {} });
      expect(empty.isError).toBe(true);
      expect(empty.text).toMatch(/at least one of expression, corner, say/);
      window.close();
    } finally {
      await mcp.close();
      await serve.stop();
    }
  });
});
