import { describe, expect, it } from 'vitest';
import { checkParams } from '../../renderer/src/lib/presetParams';
import { presetFields } from '../../electron/platform/media/presets';
import { loadPresets } from '../../electron/platform/media/presets';
import { tempDir } from '../helpers/tempDir';

// The parameter form's rules without a browser: what is sent, and what is said, in the form's words.
describe('preset parameter form', () => {
  const watermark = loadPresets(tempDir('church-param-form-')).presets.find((p) => p.name === 'watermark')!;

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
    const fields = presetFields('avatar', { source: 'file', file: null });
    expect(checkParams(fields, {}).errors).toEqual({ file: 'Overlay file: choose a file' });
    expect(checkParams(fields, { source: 'cue-track' }).errors).toEqual({});
    expect(checkParams(fields, { source: 'cue-track' }).params).toEqual({ source: 'cue-track' });
  });
});
