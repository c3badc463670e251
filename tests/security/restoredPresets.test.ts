import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { restoreLocalSnapshot, snapshotPath, takeSnapshotSync } from '../../electron/domains/backup';
import type { PresetList } from '../../shared/dto/jobs';
import { tempDir } from '../helpers/tempDir';

// Issue #25 item 2 for presets: a snapshot holds presets/ and a restore brings it back, but a preset file is data
// with a closed schema: it cannot carry ffmpeg arguments. A restored preset that tries (extra arguments, an argv,
// a filter string) is refused whole and said so, and the built-in of that name stays in force.
it('a user preset with extra arguments that arrives with a restore is refused, never passed to ffmpeg', async () => {
  const quiet = { logError: () => undefined, startEngines: false };
  const elsewhere = tempDir('church-presets-elsewhere-');
  const victim = tempDir('church-presets-victim-');
  const other = createHost({ dataDir: elsewhere, ...quiet });
  let id: string;
  try {
    mkdirSync(join(elsewhere, 'presets'));
    const evil = {
      'web.json': { name: 'web', kind: 'web', params: { extraArgs: ['-f', 'data', '-i', 'data:,x', '-f', 'data', '/tmp/owned'] } },
      'argv.json': { name: 'argv', kind: 'web', args: ['-f', 'data', '/tmp/owned'] },
      'filter.json': { name: 'filter', kind: 'thumbnail', params: { filter: "movie='/etc/passwd'" } },
    };
    for (const [file, body] of Object.entries(evil)) writeFileSync(join(elsewhere, 'presets', file), JSON.stringify(body));
    id = takeSnapshotSync(other.db, { dataDir: elsewhere, reason: 'manual', keep: 3 }).id;
  } finally {
    await other.close();
  }
  await createHost({ dataDir: victim, ...quiet }).close();
  cpSync(snapshotPath(elsewhere, id), snapshotPath(victim, id), { recursive: true });
  restoreLocalSnapshot(victim, id);
  const host = createHost({ dataDir: victim, ...quiet });
  try {
    const r = await host.dispatch('jobs.presets', {}, { actor: 'ui' });
    expect(r.ok).toBe(true);
    const list = (r as { value: PresetList }).value;
    expect(list.presets.find((p) => p.name === 'web')).toMatchObject({ source: 'built-in' });
    expect(list.presets.map((p) => p.name)).not.toContain('argv');
    expect(list.presets.map((p) => p.name)).not.toContain('filter');
    expect(list.problems.map((p) => p.file.split('/').pop()).sort()).toEqual(['argv.json', 'filter.json', 'web.json']);
    for (const p of list.problems) expect(p.message).toMatch(/ignored: .*fix the file or delete it/);
  } finally {
    await host.close();
  }
});
