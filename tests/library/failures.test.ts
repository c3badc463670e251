import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportFailure, ImportSummary } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { tempDir } from '../helpers/tempDir';
import { testHost } from '../helpers/host';
import { clip, truncateCopy, write } from '../helpers/libraryFiles';

const media = tempDir('church-fail-src-');
const host = testHost({ startEngines: false });
const cut = join(media, 'cut short.mp4');
const zero = join(media, 'zero.mp4');

async function as<T>(actor: 'ui' | 'web' | 'cli' | 'mcp', name: string, input: unknown): Promise<Result<T>> {
  return (await host.dispatch(name as never, input as never, { actor })) as Result<T>;
}

beforeAll(async () => {
  const good = await clip(join(media, 'good.mp4'), { seconds: 1 });
  truncateCopy(good, cut);
  write(zero, Buffer.alloc(0));
  const first = await as<ImportSummary>('cli', 'library.import', { paths: [media], assets: false });
  expect(first.ok && first.value.failed.length).toBe(2);
}, 60_000);

describe('failed imports: listed with their reason, dismissed by the owner, tried again by the next import', () => {
  it('lists each file the import could not use with a reason in words', async () => {
    const listed = await as<ImportFailure[]>('web', 'library.failures', {});
    expect(listed.ok).toBe(true);
    const byName = Object.fromEntries((listed.ok ? listed.value : []).map((f) => [f.path.split('/').pop(), f]));
    expect(Object.keys(byName).sort()).toEqual(['cut short.mp4', 'zero.mp4']);
    expect(byName['zero.mp4']!.reason).toMatch(/empty \(0 bytes\)/);
    expect(byName['cut short.mp4']!.code).toBe('truncated');
  });

  it('dismissing forgets only the named files and says how many were listed; the files stay on disk', async () => {
    const r = await as<{ dismissed: number }>('web', 'library.dismissFailures', { paths: [zero, zero, join(media, 'never seen.mp4')] });
    expect(r).toEqual({ ok: true, value: { dismissed: 1 } });
    const left = await as<ImportFailure[]>('web', 'library.failures', {});
    expect(left.ok && left.value.map((f) => f.path)).toEqual([cut]);
  });

  it('a dismissed file is probed again by the next import and listed again if it is still broken', async () => {
    const again = await as<ImportSummary>('cli', 'library.import', { paths: [zero], assets: false });
    expect(again.ok && again.value.failed.map((f) => f.path)).toEqual([zero]);
    const listed = await as<ImportFailure[]>('web', 'library.failures', {});
    expect(listed.ok && listed.value.map((f) => f.path).sort()).toEqual([cut, zero].sort());
  });

  it('a local agent (MCP) may neither list nor dismiss them; a relative path is refused', async () => {
    expect((await as('mcp', 'library.dismissFailures', { paths: [cut] })).ok).toBe(false);
    const rel = await as('web', 'library.dismissFailures', { paths: ['cut short.mp4'] });
    expect(!rel.ok && rel.error.code).toBe('INVALID_INPUT');
    const still = await as<ImportFailure[]>('web', 'library.failures', {});
    expect(still.ok && still.value.length).toBe(2);
  });
});
