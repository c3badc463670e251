import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MCP_CONFIG } from '../../shared/contract/mcp';
import { createHost } from '../../electron/host/createHost';
import { checkAllowedPath } from '../../electron/platform/fs';
import { createRateLimiter } from '../../electron/mcp/rateLimiter';
import { tempDir } from '../helpers/tempDir';
import { connectMcp, textOf } from '../helpers/mcp';

describe('MCP path policy', () => {
  const base = tempDir('church-mcp-paths-');
  const root = join(base, 'library');
  const out = join(base, 'outputs');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(out);
  mkdirSync(join(base, 'secret'));
  symlinkSync(join(base, 'secret'), join(root, 'escape'));

  it('allows paths inside the roots, including files still to be written', () => {
    expect(checkAllowedPath(join(root, 'sub'), [root, out])).toContain('library');
    expect(checkAllowedPath(join(out, 'new', 'clip.mp4'), [root, out])).toContain('outputs');
  });

  it.each([
    ['a relative path', 'library/sub'],
    ['a path outside', '/etc/passwd'],
    ['a dot-dot escape', 'ROOT/../secret'],
    ['a symlink out of a root', 'ROOT/escape/x'],
    ['a sibling with the same prefix', 'ROOT-other/x'],
  ])('refuses %s', (_label, p) => {
    expect(() => checkAllowedPath(p.replace('ROOT', root), [root, out])).toThrow(/outside the library roots|not an absolute path/);
  });
});

describe('MCP rate limiter', () => {
  it('allows the configured calls per minute per tool, then says when to retry', () => {
    let t = 0;
    const limiter = createRateLimiter({ defaultPerMinute: 2, perMinute: { transcode: 1 } }, () => t);
    expect(limiter.take('transcode').ok).toBe(true);
    expect(limiter.take('transcode')).toMatchObject({ ok: false, limit: 1, retryAfterMs: 60_000 });
    expect(limiter.take('library_search').ok).toBe(true);
    expect(limiter.take('library_search').ok).toBe(true);
    expect(limiter.take('library_search').ok).toBe(false);
    t = 60_001;
    expect(limiter.take('transcode').ok).toBe(true);
  });
});

describe('church mcp over stdio', () => {
  it('lists tools with strict schemas, runs one, rate-limits and audits every call', async () => {
    const dataDir = tempDir('church-mcp-');
    const setup = createHost({ dataDir, logError: () => undefined });
    expect(await setup.dispatch('mcp.setConfig', { ...DEFAULT_MCP_CONFIG, perMinute: { lab_status: 2 } }, { actor: 'ui' })).toMatchObject({ ok: true });
    await setup.close();

    const mcp = await connectMcp(dataDir);
    try {
      const { tools } = await mcp.client.listTools();
      const lab = tools.find((t) => t.name === 'lab_status')!;
      expect(lab.description).toMatch(/snapshot of the lab/);
      expect(lab.annotations?.readOnlyHint).toBe(true);
      expect(lab.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });

      const ok = await mcp.client.callTool({ name: 'lab_status', arguments: {} });
      expect(ok.isError).toBeFalsy();
      expect(JSON.parse(textOf(ok))).toMatchObject({ media: { ffmpeg: { version: expect.any(String) } }, lastKillSwitchRun: null });

      const bad = await mcp.client.callTool({ name: 'lab_status', arguments: { rm: '-rf /' } });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/invalid arguments for lab_status/);

      const limited = await mcp.client.callTool({ name: 'lab_status', arguments: {} });
      expect(limited.isError).toBe(true);
      expect(textOf(limited)).toMatch(/limited to 2 calls a minute/);

      const unknown = await mcp.client.callTool({ name: 'format_disk', arguments: {} });
      expect(unknown.isError).toBe(true);
      expect(textOf(unknown)).toMatch(/no tool named "format_disk"/);
    } finally {
      await mcp.close();
    }

    const check = createHost({ dataDir, logError: () => undefined });
    const entries = check.audit.recent(20).filter((a) => /^mcp\.(lab_status|unknown-tool)$/.test(a.action));
    expect(entries.map((e) => [e.action, e.actor, e.ok, e.errorCode]).reverse()).toEqual([
      ['mcp.lab_status', 'mcp', true, null],
      ['mcp.lab_status', 'mcp', false, 'INVALID_INPUT'],
      ['mcp.lab_status', 'mcp', false, 'RATE_LIMITED'],
      ['mcp.unknown-tool', 'mcp', false, 'UNKNOWN_CHANNEL'],
    ]);
    expect(JSON.parse(entries.find((e) => e.errorCode === 'INVALID_INPUT')!.input)).toEqual({ rm: '-rf /' });
    await check.close();
  });

  it('refuses audit entries from anyone but the MCP server', async () => {
    const host = createHost({ dataDir: tempDir('church-mcp-'), logError: () => undefined });
    const r = await host.dispatch('audit.append', { action: 'forged', input: {}, ok: true, errorCode: null, durationMs: 1 }, { actor: 'web' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await host.close();
  });
});
