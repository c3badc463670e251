import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_EXPRESSIONS, BUILTIN_EXPRESSIONS, drawAvatar, faceBookOf, type AvatarState } from '../../shared/avatar';
import type { ExpressionList, PushResult } from '../../shared/dto/avatar';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

const diffPixels = (a: Uint8ClampedArray, b: Uint8ClampedArray) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) n++;
  return n;
};

describe('avatar expressions as data: built-ins plus the user files in the data dir', () => {
  const dataDir = tempDir('church-avatar-expr-');
  const folder = join(dataDir, 'avatar', 'expressions');
  mkdirSync(folder, { recursive: true });
  const write = (name: string, body: unknown) => writeFileSync(join(folder, name), typeof body === 'string' ? body : JSON.stringify(body));
  write('smug.json', {
    description: 'Half-closed eyes and a lopsided smile',
    whenToUse: 'after a joke lands, teasing the viewer',
    base: 'happy',
    face: { eyes: 'wink', mouth: 'smile', mouthWidth: 1.3, brows: { inner: 0.05, outer: -0.05 }, colours: { skin: '#f0d0ff' } },
  });
  write('blank.json', { description: 'No features at all', whenToUse: 'a test', face: { eyes: 'closed-down', mouth: 'dot', blush: 0 } });
  write('banana.json', { description: 'x', whenToUse: 'y', face: { mouth: 'banana' } });
  write('broken.json', '{ "description": "oops",');
  write('happy.json', { description: 'mine', whenToUse: 'always' });
  write('Bad Name.json', { description: 'x', whenToUse: 'y' });
  write('typo.json', { description: 'x', whenToUse: 'y', face: { eyeScale: 9 } });
  const host = testHost({ dataDir });
  let videoId: number;
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await host.dispatch(name, input, { actor: 'ui' })) as Result<T>;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };

  beforeAll(async () => {
    const clip = await makeClip(join(tempDir('church-avatar-expr-media-'), 'vespers.mp4'), { seconds: 1 });
    await call<ImportSummary>('library.import', { paths: [clip], assets: false });
    videoId = (await call<VideoPage>('library.search', {})).items[0]!.id;
  });

  it('lists the built-ins first, then the valid user files; broken files are named with their field and left out', async () => {
    const list = await call<ExpressionList>('avatar.expressions', {});
    expect(list.expressions.map((e) => e.name)).toEqual([...AVATAR_EXPRESSIONS, 'blank', 'smug']);
    for (const e of list.expressions) expect(e.description.length * e.whenToUse.length).toBeGreaterThan(0);
    const smug = list.expressions.find((e) => e.name === 'smug')!;
    // Starts from happy's face and changes what the file names.
    expect(smug).toMatchObject({ builtIn: false, face: { eyes: 'wink', mouth: 'smile', mouthWidth: 1.3, blush: 0.55, colours: { skin: '#f0d0ff' } } });
    const problems = Object.fromEntries(list.problems.map((p) => [p.file, p.message]));
    expect(Object.keys(problems).sort()).toEqual(['Bad Name.json', 'banana.json', 'broken.json', 'happy.json', 'typo.json']);
    expect(problems['banana.json']).toMatch(/^banana\.json: face\.mouth: .*grin/);
    expect(problems['typo.json']).toMatch(/^typo\.json: face\.eyeScale: /);
    expect(problems['broken.json']).toMatch(/^broken\.json: not valid JSON/);
    expect(problems['happy.json']).toMatch(/built-in expression/);
    expect(problems['Bad Name.json']).toMatch(/file name/);
    expect(list.folder).toBe(folder);
  });

  it('a cue may name a user expression; an unknown name is refused with the valid ones listed, and a script sends nothing', async () => {
    const ok = await call<PushResult>('avatar.push', { videoId, cue: { at: 0.5, expression: 'smug' }, save: true });
    expect(ok.track!.cues.at(-1)).toMatchObject({ expression: 'smug' });
    const bad = await host.dispatch('avatar.pushScript', { videoId, cues: [{ at: 0.1, say: 'hi' }, { at: 0.2, expression: 'banana' }], save: true }, { actor: 'mcp' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('INVALID_INPUT');
    expect(bad.error.message).toMatch(/cues\[1\]\.expression "banana" is not one of the studio's expressions \(neutral, happy, .*smug\)/);
    expect(bad.error.message).toContain(join(folder, 'banana.json'));
    // Nothing of the refused script was saved.
    const track = await call<{ cues: unknown[] }>('avatar.getTrack', { videoId });
    expect(track.cues).toHaveLength(1);
  });

  it('a fixed file counts from the next call, without a restart', async () => {
    write('banana.json', { description: 'A banana grin', whenToUse: 'fruit', face: { mouth: 'grin' } });
    const list = await call<ExpressionList>('avatar.expressions', {});
    expect(list.expressions.map((e) => e.name)).toContain('banana');
    expect(list.problems.map((p) => p.file)).not.toContain('banana.json');
  });

  it('draws a user face from its parameters: unlike its base and every built-in, deterministic', async () => {
    const list = await call<ExpressionList>('avatar.expressions', {});
    const faces = faceBookOf(list.expressions);
    const state = (expression: string): AvatarState => ({ expression, corner: null, say: null });
    const smug = drawAvatar(state('smug'), 96, 96, { faces });
    expect(drawAvatar(state('smug'), 96, 96, { faces })).toEqual(smug);
    for (const b of BUILTIN_EXPRESSIONS) expect(diffPixels(smug, drawAvatar(state(b.name), 96, 96)), b.name).toBeGreaterThan(20);
    // Without the user's book (or after its file went away) the name draws as neutral, never fails.
    expect(drawAvatar(state('smug'), 96, 96)).toEqual(drawAvatar(state('neutral'), 96, 96));
    expect(diffPixels(drawAvatar(state('blank'), 96, 96, { faces }), drawAvatar(state('sleepy'), 96, 96))).toBeGreaterThan(0);
  });
});
