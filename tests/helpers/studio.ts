import { createHost, type Host } from '../../electron/host/createHost';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { bearer, connectWs, type WsReply } from './wsClient';

/**
 * Seeds a data dir's library through the contract, in-process, before a studio (`church serve`) starts on it;
 * `then` may add more (a cue track) on the same host. Returns the imported ids, newest first.
 */
export async function seedLibrary(dataDir: string, paths: string[], opts: { assets?: boolean; then?: (host: Host, ids: number[]) => Promise<unknown> } = {}): Promise<number[]> {
  const host = createHost({ dataDir, logError: () => undefined, startEngines: false });
  try {
    const imported = (await host.dispatch('library.import', { paths, assets: opts.assets ?? false }, { actor: 'cli' })) as Result<ImportSummary>;
    if (!imported.ok || imported.value.imported !== paths.length) throw new Error(`seeding the library failed: ${JSON.stringify(imported)}`);
    const page = (await host.dispatch('library.search', {}, { actor: 'cli' })) as Result<VideoPage>;
    const ids = page.ok ? page.value.items.map((v) => v.id) : [];
    await opts.then?.(host, ids);
    return ids;
  } finally {
    await host.close();
  }
}

/** One call through the contract from outside the page, the way the CLI or the MCP server makes it. */
export async function callServe(serve: { port: number; url: string }, name: string, input: unknown): Promise<WsReply> {
  const c = await connectWs(`ws://127.0.0.1:${serve.port}/ws`, bearer(new URL(serve.url).searchParams.get('token')!));
  try {
    c.send(JSON.stringify({ id: 1, name, input }));
    for (;;) {
      const m = await c.next();
      if (m.type === 'result') return m;
    }
  } finally {
    c.close();
  }
}

/** callServe's value; throws with the studio's message when the call failed. */
export async function callServeValue<T>(serve: { port: number; url: string }, name: string, input: unknown): Promise<T> {
  const r = (await callServe(serve, name, input)).result!;
  if (!r.ok) throw new Error(`${name}: ${r.error?.message ?? 'failed'}`);
  return r.value as T;
}
