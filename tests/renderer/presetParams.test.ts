import { describe, expect, it } from 'vitest';
import type { PresetField } from '../../shared/dto/jobs';
import { checkParams } from '../../renderer/src/lib/presetParams';

// Fields as main describes them (tests/jobs/userPresets.test.ts checks that it does).
const num = (key: string, label: string, value: unknown, min: number | null, max: number | null, extra: Partial<PresetField> = {}): PresetField =>
  ({ key, label, help: '', required: false, nullable: false, value, type: 'number', integer: false, min, max, unit: '', ...extra }) as PresetField;
const WATERMARK: PresetField[] = [
  num('crf', 'Quality (CRF)', 23, 0, 51, { integer: true }),
  num('maxHeight', 'Largest size', null, 16, 8640, { integer: true, nullable: true, unit: 'px' } as Partial<PresetField>),
  { key: 'imagePath', label: 'Watermark image', help: '', required: true, nullable: false, value: '', type: 'file' },
  { key: 'position', label: 'Position', help: '', required: false, nullable: false, value: 'bottom-right', type: 'enum', options: ['top-left', 'bottom-right'] },
  num('opacity', 'Opacity', 0.8, 0, 1),
  num('marginPx', 'Margin', 16, 0, 1000, { integer: true, unit: 'px' } as Partial<PresetField>),
];
const AVATAR: PresetField[] = [
  { key: 'source', label: 'Overlay source', help: '', required: false, nullable: false, value: 'file', type: 'enum', options: ['file', 'cue-track'] },
  { key: 'file', label: 'Overlay file', help: '', required: false, nullable: true, value: null, type: 'file', requiredWhen: { key: 'source', value: 'file' } },
];

// The parameter form's rules without a browser: what is sent, and what is said, in the form's words.
describe('preset parameter form', () => {
  const watermark = { fields: WATERMARK };

  it('asks for the watermark image by its label, then sends it with only the changed values', () => {
    expect(checkParams(watermark.fields, {}).errors).toEqual({ imagePath: 'Watermark image: choose a file' });
    expect(checkParams(watermark.fields, { imagePath: 'logo.png' }).errors.imagePath).toBe('Watermark image: enter the full path of the file, like /home/you/logo.png');
    const ok = checkParams(watermark.fields, { imagePath: '/srv/logo.png', opacity: '0.5' });
    expect(ok.firstError).toBeNull();
    expect(ok.params).toEqual({ imagePath: '/srv/logo.png', opacity: 0.5 });
    expect(ok.all).toMatchObject({ position: 'bottom-right', maxHeight: null, crf: 23 });
  });

  it('numbers: range, whole numbers, empty means automatic where the schema allows null', () => {
    const fields = watermark.fields;
    const base = { imagePath: '/srv/logo.png' };
    expect(checkParams(fields, { ...base, opacity: '3' }).errors.opacity).toBe('Opacity: enter a number from 0 to 1');
    expect(checkParams(fields, { ...base, marginPx: '2.5' }).errors.marginPx).toBe('Margin: enter a whole number from 0 to 1000 px');
    expect(checkParams(fields, { ...base, crf: '' }).errors.crf).toBe('Quality (CRF): enter a number from 0 to 51');
    expect(checkParams(fields, { ...base, maxHeight: '' }).params.maxHeight).toBeNull();
    expect(checkParams(fields, { ...base, maxHeight: 'tall' }).errors.maxHeight).toBe('Largest size: enter a number from 16 to 8640 px');
  });

  it('the avatar overlay file is needed only while its source is "file"', () => {
    const fields = AVATAR;
    expect(checkParams(fields, {}).errors).toEqual({ file: 'Overlay file: choose a file' });
    expect(checkParams(fields, { source: 'cue-track' }).errors).toEqual({});
    expect(checkParams(fields, { source: 'cue-track' }).params).toEqual({ source: 'cue-track' });
  });
});
