import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary, VideoDetail, VideoSummary, DuplicateGroup } from '../../shared/dto/library';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { clip, write } from '../helpers/libraryFiles';
import { copyFileSync } from 'node:fs';

const src = tempDir('church-lib-cli-src-');
const dataDir = tempDir('church-lib-cli-data-');
const env = { CHURCH_NO_ATTACH: '1' };
const run = (args: string[]) => church([...args, '--data-dir', dataDir], { env });

beforeAll(async () => {
  await clip(join(src, 'First Light.mp4'), { audio: false });
  await clip(join(src, 'sub', 'Second `Wind`.mov'), { audio: false, width: 160, height: 120 });
  copyFileSync(join(src, 'First Light.mp4'), join(src, 'sub', 'copy.mp4'));
  write(join(src, 'broken.mp4'), 'plain text');
}, 60_000);

describe('church library commands (real child processes)', () => {
  let items: VideoSummary[] = [];

  it('church import --json prints {imported, skipped, failed: [{path, reason}]} with progress on stderr; a failed file makes it exit 1', async () => {
    const r = await run(['import', src, '--json', '--no-assets']);
    // The others are imported; the broken one is listed, and the exit code and stderr say that not everything was.
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as ImportSummary;
    expect(s.imported).toBe(3);
    expect(s.skipped).toBe(0);
    expect(s.failed).toEqual([{ path: join(src, 'broken.mp4'), code: 'not-media', reason: expect.stringMatching(/text file/) }]);
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!)).toEqual({ error: { code: 'EXTERNAL', message: expect.stringMatching(/^1 file could not be imported/) } });
    const human = await run(['scan']);
    expect(human.stdout).toMatch(/0 new, 0 changed, 0 moved, 3 unchanged/);
    expect(human.stderr).toMatch(/done: 4 seen/);
    expect(human.code).toBe(human.stdout.includes('broken.mp4') ? 1 : 0);
  }, 60_000);

  it('church import of a missing file exits 1 and says so on stderr, after the summary', async () => {
    const r = await run(['import', join(src, 'not-there.mp4')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 failed/);
    expect(r.stdout).toContain('not-there.mp4');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('church: 1 file could not be imported (listed above)');
  }, 30_000);

  it('church list --json prints the items, each with its id; titles default to the file name', async () => {
    const r = await run(['list', '--json', '--sort', 'title']);
    expect(r.code, r.stderr).toBe(0);
    items = JSON.parse(r.stdout) as VideoSummary[];
    expect(items.map((i) => i.title)).toEqual(['copy', 'First Light', 'Second `Wind`']);
    expect(items.every((i) => Number.isInteger(i.id))).toBe(true);
  }, 30_000);

  it('tag, untag, rate, show and search', async () => {
    const id = items.find((i) => i.title === 'First Light')!.id;
    expect((await run(['tag', String(id), 'Dawn', 'calm'])).stdout).toMatch(/calm, dawn/);
    const untag = await run(['untag', String(id), 'calm', '--json']);
    expect((JSON.parse(untag.stdout) as VideoDetail).tags).toEqual(['dawn']);
    expect((await run(['rate', String(id), '5'])).code).toBe(0);
    const bad = await run(['rate', String(id), '6', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/0 to 5/) } });
    const show = JSON.parse((await run(['show', String(id), '--json'])).stdout) as VideoDetail;
    expect(show).toMatchObject({ id, rating: 5, tags: ['dawn'], path: join(src, 'First Light.mp4') });
    expect(show.probe?.streams[0]?.codec).toBe('h264');
    const found = JSON.parse((await run(['search', 'dawn', '--json'])).stdout) as VideoSummary[];
    expect(found.map((i) => i.id)).toEqual([id]);
    const none = await run(['show', '99999']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no library item with id 99999/);
  }, 60_000);

  it('church fav marks and unmarks a favourite; church list --favourite lists only those', async () => {
    const id = items.find((i) => i.title === 'Second `Wind`')!.id;
    const on = await run(['fav', String(id)]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toMatch(/♥ favourite/);
    const favs = JSON.parse((await run(['--json', 'list', '--favourite'])).stdout) as VideoSummary[];
    expect(favs.map((i) => i.id)).toEqual([id]);
    const off = await run(['fav', String(id), '--off', '--json']);
    expect((JSON.parse(off.stdout) as VideoDetail).favourite).toBe(false);
    expect(JSON.parse((await run(['list', '--favourite', '--json'])).stdout)).toEqual([]);
    const bad = await run(['fav', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('church duplicates groups the copy with its original', async () => {
    const groups = JSON.parse((await run(['duplicates', '--json'])).stdout) as DuplicateGroup[];
    expect(groups).toHaveLength(1);
    expect(groups[0]!.items.map((i) => i.title).sort()).toEqual(['First Light', 'copy']);
  }, 30_000);
});
