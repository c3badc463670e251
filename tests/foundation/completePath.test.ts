import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PathCompletion } from '../../shared/dto/system';
import type { Result } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';

const root = tempDir('church-folders-');
const host = testHost({ startEngines: false });

async function as(actor: 'ui' | 'web' | 'cli' | 'mcp' | 'agent:alpha', input: unknown): Promise<Result<PathCompletion>> {
  return (await host.dispatch('system.completePath', input as never, { actor })) as Result<PathCompletion>;
}
const names = (r: Result<PathCompletion>) => (r.ok ? r.value.entries.map((e) => e.name) : r.error.code);

beforeAll(() => {
  for (const d of ['Videos', 'archive', 'Zebra clips', '.hidden']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'clip.mp4'), 'not a folder');
  writeFileSync(join(root, 'logo.png'), 'an image');
  symlinkSync(join(root, 'Videos'), join(root, 'linked videos'));
  symlinkSync(join(root, 'gone'), join(root, 'dangling'));
});

describe('system.completePath: completing a typed path in the browser (file fields and the import field)', () => {
  it('the import field gets folders only, sorted, with linked folders and without hidden ones or dangling links', async () => {
    expect(names(await as('web', { path: `${root}/`, foldersOnly: true }))).toEqual(['archive', 'linked videos', 'Videos', 'Zebra clips']);
    const r = await as('ui', { path: `${root}/Vi`, foldersOnly: true });
    expect(r).toEqual({ ok: true, value: { dir: root, entries: [{ name: 'Videos', path: join(root, 'Videos'), folder: true }] } });
  });

  it('a file field gets the folders, then the files of its endings', async () => {
    expect(names(await as('web', { path: `${root}/`, extensions: ['.png'] }))).toEqual(['archive', 'linked videos', 'Videos', 'Zebra clips', 'logo.png']);
    expect(names(await as('cli', { path: `${root}/.h` }))).toEqual(['.hidden']);
  });

  it('a relative path, or a folder that is not there, completes to nothing', async () => {
    expect(names(await as('web', { path: 'Videos/', foldersOnly: true }))).toEqual([]);
    expect(names(await as('web', { path: join(root, 'nope', ''), foldersOnly: true }))).toEqual([]);
  });

  it('is for the owner only: a local agent (MCP) and a lab agent are refused before anything is read', async () => {
    for (const actor of ['mcp', 'agent:alpha'] as const) {
      expect(names(await as(actor, { path: `${root}/`, foldersOnly: true })), actor).toBe('FORBIDDEN');
    }
  });
});
