import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { loadPresets, presetFields } from '../../electron/platform/media/presets';
import { completePath } from '../../electron/platform/fs';
import type { PresetList } from '../../shared/dto/jobs';
import { tempDir } from '../helpers/tempDir';

// Issue #26 item 3: presets that need settings get a form generated from the kind's schema, and the owner's own
// presets can be made, changed and deleted through the contract.

describe('preset fields from the schema', () => {
  it('the watermark preset asks for its image (a file field named as the UI names it) and offers its enums and numbers', () => {
    const watermark = loadPresets(tempDir('church-fields-')).presets.find((p) => p.name === 'watermark')!;
    const byKey = new Map(watermark.fields.map((f) => [f.key, f]));
    expect(byKey.get('imagePath')).toMatchObject({ type: 'file', label: 'Watermark image', required: true });
    expect(byKey.get('position')).toMatchObject({ type: 'enum', options: ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'], value: 'bottom-right' });
    expect(byKey.get('opacity')).toMatchObject({ type: 'number', integer: false, min: 0, max: 1, value: 0.8 });
    expect(byKey.get('marginPx')).toMatchObject({ type: 'number', integer: true, unit: 'px' });
    expect(byKey.get('maxHeight')).toMatchObject({ type: 'number', nullable: true, value: null });
    // chunking has its own control in every form
    expect(byKey.has('chunkSeconds')).toBe(false);
  });

  it('the avatar overlay file is needed only while its source is "file"; a ladder shows no list field', () => {
    expect(presetFields('avatar', {}).find((f) => f.key === 'file')).toMatchObject({ type: 'file', required: false, nullable: true, requiredWhen: { key: 'source', value: 'file' } });
    expect(presetFields('ladder', {}).map((f) => f.key)).toEqual(['x264Preset', 'segmentSec', 'audioKbps']);
  });
});

describe('user presets through the contract', () => {
  const dir = tempDir('church-user-presets-');
  let host: ReturnType<typeof createHost>;
  beforeAll(() => {
    host = createHost({ dataDir: dir, logError: () => undefined, startEngines: false });
  });
  afterAll(() => host.close());
  const call = async (name: 'jobs.savePreset' | 'jobs.deletePreset', input: unknown) => host.dispatch(name, input, { actor: 'web' });

  it('saves a watermark preset (image left to each job), lists it as the owner’s, replaces it and deletes it', async () => {
    const saved = await call('jobs.savePreset', { name: 'corner-logo', kind: 'watermark', description: 'logo top left', params: { imagePath: '', position: 'top-left', opacity: 0.5 } });
    expect(saved.ok).toBe(true);
    const list = (saved as { value: PresetList }).value;
    const mine = list.presets.find((p) => p.name === 'corner-logo')!;
    expect(mine).toMatchObject({ source: 'user', kind: 'watermark', description: 'logo top left' });
    expect(mine.fields.find((f) => f.key === 'position')?.value).toBe('top-left');
    expect(JSON.parse(readFileSync(join(dir, 'presets', 'corner-logo.json'), 'utf8'))).toMatchObject({ params: { opacity: 0.5 } });

    await call('jobs.savePreset', { name: 'corner-logo', kind: 'watermark', params: { opacity: 0.25 } });
    expect(loadPresets(join(dir, 'presets')).presets.find((p) => p.name === 'corner-logo')?.params).toEqual({ opacity: 0.25 });

    const deleted = await call('jobs.deletePreset', { name: 'corner-logo' });
    expect(deleted.ok).toBe(true);
    expect(existsSync(join(dir, 'presets', 'corner-logo.json'))).toBe(false);
  });

  it('refuses values outside the kind’s schema and the deletion of a built-in, in words', async () => {
    const bad = await call('jobs.savePreset', { name: 'too-opaque', kind: 'watermark', params: { opacity: 3 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!bad.ok && bad.error.message).toMatch(/opacity/);
    const builtIn = await call('jobs.deletePreset', { name: 'web' });
    expect(builtIn).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(!builtIn.ok && builtIn.error.message).toMatch(/built-in preset/);
  });
});

describe('path completion', () => {
  it('lists the folder’s matching entries, folders first, files by ending, hidden ones only when asked', () => {
    const dir = tempDir('church-complete-');
    mkdirSync(join(dir, 'logos'));
    for (const f of ['logo.png', 'logo.txt', 'list.png', '.hidden.png']) writeFileSync(join(dir, f), '');
    expect(completePath(join(dir, 'l'), ['.png']).entries.map((e) => [e.name, e.folder])).toEqual([['logos', true], ['list.png', false], ['logo.png', false]]);
    expect(completePath(`${dir}/`, []).entries.map((e) => e.name)).toEqual(['logos', 'list.png', 'logo.png', 'logo.txt']);
    expect(completePath(join(dir, '.h')).entries.map((e) => e.name)).toEqual(['.hidden.png']);
    expect(completePath('relative/path').entries).toEqual([]);
    expect(completePath(join(dir, 'nope', 'x')).entries).toEqual([]);
  });
});
