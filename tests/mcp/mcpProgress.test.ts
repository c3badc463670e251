import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';
import { connectMcp, textOf } from '../helpers/mcp';
import { waitFor } from '../helpers/waitFor';

type Mcp = Awaited<ReturnType<typeof connectMcp>>;

/** A data dir with one clip that needs a real encode (MPEG-4 Part 2 is not web-ready) of some seconds. */
async function libraryWithSlowClip(): Promise<{ dataDir: string; videoId: number }> {
  const dataDir = tempDir('church-mcp-progress-');
  const root = join(tempDir('church-mcp-progress-lib-'), 'videos');
  mkdirSync(root, { recursive: true });
  await makeClip(join(root, 'long vigil.avi'), { seconds: 40, width: 640, height: 480, vcodec: 'mpeg4' });
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    const imported = await host.dispatch('library.import', { paths: [root], assets: false }, { actor: 'cli' });
    expect(imported, JSON.stringify(imported)).toMatchObject({ ok: true, value: { imported: 1 } });
    const page = await host.dispatch('library.search', {}, { actor: 'cli' });
    if (!page.ok) throw new Error(page.error.message);
    return { dataDir, videoId: (page.value as { items: { id: number }[] }).items[0]!.id };
  } finally {
    await host.close();
  }
}

async function statusOf(mcp: Mcp, id: number): Promise<string> {
  const r = await mcp.client.callTool({ name: 'job_status', arguments: { id } });
  return (r.structuredContent as { status: string }).status;
}

describe('long MCP calls: progress notifications and cancellation', () => {
  let lib: Awaited<ReturnType<typeof libraryWithSlowClip>>;
  let mcp: Mcp;
  beforeAll(async () => {
    lib = await libraryWithSlowClip();
    mcp = await connectMcp(lib.dataDir);
  });
  afterAll(async () => {
    await mcp?.close();
  });

  it('declares output schemas and hints, and returns structured content with the text form', async () => {
    const { tools } = await mcp.client.listTools();
    for (const t of tools) expect(t.outputSchema, t.name).toMatchObject({ type: 'object' });
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('job_cancel')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(byName.get('avatar_track_save')!.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    expect(byName.get('transcode')!.annotations).toMatchObject({ destructiveHint: false, idempotentHint: false });
    expect(byName.get('transcode')!.inputSchema.properties).toHaveProperty('wait');
    const r = await mcp.client.callTool({ name: 'job_status', arguments: {} });
    expect(r.structuredContent).toMatchObject({ jobs: [], queue: expect.any(Object) });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
  });

  it('without wait returns the queued job at once', async () => {
    const r = await mcp.client.callTool({ name: 'thumbnail', arguments: { videoId: lib.videoId, atSec: 1, width: 64 } });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ preset: 'thumbnail', status: expect.stringMatching(/queued|running|done/) });
  });

  it('with wait and a progress token reports growing progress until the job is done', async () => {
    // Read off the wire, in arrival order: the SDK client runs notification handlers a microtask later than the
    // response, so its onprogress can miss a notification that arrived just before the answer.
    const seen: Progress[] = [];
    const transport = mcp.client.transport!;
    const deliver = transport.onmessage!;
    transport.onmessage = (m, extra) => {
      if ('method' in m && m.method === 'notifications/progress') seen.push(m.params as unknown as Progress);
      deliver.call(transport, m, extra);
    };
    const r = await mcp.client.callTool({ name: 'transcode', arguments: { videoId: lib.videoId, preset: 'web', wait: true } }, undefined, {
      onprogress: () => undefined,
      resetTimeoutOnProgress: true,
      timeout: 120_000,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'done', outputIds: [expect.any(Number)] });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]!.progress).toBe(0);
    expect(seen.at(-1)).toMatchObject({ progress: 100, total: 100 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress, JSON.stringify(seen)).toBeGreaterThan(seen[i - 1]!.progress);
    expect(seen.some((p) => p.progress > 0 && p.progress < 100)).toBe(true);
    expect(seen.at(-1)!.message).toMatch(/done/);
    transport.onmessage = deliver;
  });

  it('cancelling the request cancels the job', async () => {
    const abort = new AbortController();
    let jobId: number | null = null;
    const running = new Promise<void>((resolve) => {
      void mcp.client
        .callTool({ name: 'transcode', arguments: { videoId: lib.videoId, preset: 'web', wait: true } }, undefined, {
          signal: abort.signal,
          onprogress: (p) => {
            const m = /job (\d+) (\w+)/.exec(p.message ?? '');
            if (m) jobId = Number(m[1]);
            // Encoding has begun: now give up on the request.
            if (p.progress > 0 && m?.[2] === 'running') resolve();
          },
          resetTimeoutOnProgress: true,
          timeout: 120_000,
        })
        .catch(() => undefined);
    });
    await running;
    expect(jobId).not.toBeNull();
    abort.abort('the agent gave up');
    const status = await waitFor(`job ${jobId} to stop running`, async () => {
      const s = await statusOf(mcp, jobId!);
      return s !== 'running' && s;
    }, 60_000, 200);
    expect(status).toBe('cancelled');
  });
});
