import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FolderList } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { tempDir } from '../helpers/tempDir';

const root = tempDir('church-folders-');
const host = testHost({ startEngines: false });

async function as<T>(actor: 'ui' | 'web' | 'cli' | 'mcp' | 'agent:alpha', input: unknown): Promise<Result<T>> {
  return (await host.dispatch('library.listFolders', input as never, { actor })) as Result<T>;
}

beforeAll(() => {
  for (const d of ['Videos', 'archive', 'Zebra clips', '.hidden']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'clip.mp4'), 'not a folder');
  symlinkSync(join(root, 'Videos'), join(root, 'linked videos'));
  symlinkSync(join(root, 'gone'), join(root, 'dangling'));
});

describe('library.listFolders: completing an import path in the browser', () => {
  it('lists the folders inside a folder by name, sorted, without files, hidden folders or dangling links', async () => {
    const r = await as<FolderList>('web', { path: root });
    expect(r).toEqual({ ok: true, value: { path: root, parent: join(root, '..'), folders: ['archive', 'linked videos', 'Videos', 'Zebra clips'], truncated: false } });
    const top = await as<FolderList>('ui', { path: '/' });
    expect(top.ok && top.value.parent).toBeNull();
  });

  it('says in words when the folder is not there, and refuses a relative path', async () => {
    const gone = await as<FolderList>('web', { path: join(root, 'nope') });
    expect(!gone.ok && gone.error.code).toBe('NOT_FOUND');
    expect(!gone.ok && gone.error.message).toMatch(/There is no folder .*nope; check the path/);
    const file = await as<FolderList>('web', { path: join(root, 'clip.mp4') });
    expect(!file.ok && file.error.code).toBe('NOT_FOUND');
    const rel = await as<FolderList>('web', { path: 'Videos' });
    expect(!rel.ok && rel.error.code).toBe('INVALID_INPUT');
  });

  it('is for the owner only: a local agent (MCP) and a lab agent are refused before anything is read', async () => {
    for (const actor of ['mcp', 'agent:alpha'] as const) {
      const r = await as<FolderList>(actor, { path: root });
      expect(!r.ok && r.error.code, actor).toBe('FORBIDDEN');
    }
  });
});
