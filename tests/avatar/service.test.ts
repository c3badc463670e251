import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import type { CueTrack, OverlaySettings, PushResult } from '../../shared/dto/avatar';
import type { ImportSummary, VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { testHost } from '../helpers/host';
import { makeClip } from '../helpers/media';
import { tempDir } from '../helpers/tempDir';

describe('avatar domain through the contract', () => {
  const host = testHost();
  const events: { name: EventName; payload: unknown }[] = [];
  host.events.subscribe((name, payload) => events.push({ name, payload }));
  let videoId: number;
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await host.dispatch(name, input, { actor: 'ui' })) as Result<T>;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const fail = async (name: string, input: unknown) => {
    const r = await host.dispatch(name, input, { actor: 'ui' });
    if (r.ok) throw new Error(`${name} should have failed`);
    return r.error;
  };

  beforeAll(async () => {
    const dir = tempDir('church-avatar-svc-');
    const clip = await makeClip(join(dir, 'sermon.mp4'), { seconds: 1 });
    const summary = await call<ImportSummary>('library.import', { paths: [clip], assets: false });
    expect(summary.imported).toBe(1);
    const page = await call<VideoPage>('library.search', {});
    videoId = page.items[0]!.id;
  });

  it('starts with an empty track and default settings', async () => {
    expect(await call<CueTrack>('avatar.getTrack', { videoId })).toEqual({ videoId, cues: [], updatedAt: null });
    const s = await call<OverlaySettings>('avatar.getSettings', {});
    expect(s).toMatchObject({ corner: 'bottom-right', visible: true, source: { kind: 'builtin' } });
  });

  it('saves a track in application order, emits avatar.track, and reads it back', async () => {
    const cues = [
      { id: 'b', at: 2, say: 'two' },
      { id: 'a', at: 1, expression: 'happy' },
    ];
    const saved = await call<CueTrack>('avatar.saveTrack', { videoId, cues });
    expect(saved.cues.map((c) => c.id)).toEqual(['a', 'b']);
    expect((await call<CueTrack>('avatar.getTrack', { videoId })).cues).toEqual(saved.cues);
    expect(events.some((e) => e.name === 'avatar.track' && (e.payload as CueTrack).videoId === videoId)).toBe(true);
  });

  it('refuses bad tracks and unknown videos with readable errors', async () => {
    expect((await fail('avatar.saveTrack', { videoId, cues: [{ id: 'x', at: 1 }, { id: 'x', at: 2 }] })).message).toMatch(/unique/);
    expect((await fail('avatar.saveTrack', { videoId, cues: [{ id: 'x', at: -1 }] })).code).toBe('INVALID_INPUT');
    expect((await fail('avatar.saveTrack', { videoId, cues: [{ id: 'x', at: 1, expression: 'smug' }] })).code).toBe('INVALID_INPUT');
    const missing = await fail('avatar.saveTrack', { videoId: 9999, cues: [] });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/no video 9999/);
    expect((await fail('avatar.push', { cue: {} })).message).toMatch(/at least one of/);
  });

  it('pushes a live cue as an avatar.cue event without touching the saved track', async () => {
    events.length = 0;
    const res = await call<PushResult>('avatar.push', { cue: { expression: 'surprised', say: 'Look!' } });
    expect(res.track).toBeNull();
    expect(res.event).toMatchObject({ videoId: null, saved: false, cue: { at: 'now', expression: 'surprised', say: 'Look!' } });
    expect(events).toEqual([{ name: 'avatar.cue', payload: res.event }]);
    expect((await call<CueTrack>('avatar.getTrack', { videoId })).cues).toHaveLength(2);
  });

  it("saves a cue at a given time, and a 'now' cue at the open preview's playhead", async () => {
    const atTime = await call<PushResult>('avatar.push', { videoId, cue: { at: 0.5, expression: 'wink' }, save: true });
    expect(atTime.track!.cues.map((c) => c.at)).toEqual([0.5, 1, 2]);
    // No preview has reported where it is: "now" has no time.
    const noPreview = await fail('avatar.push', { videoId, cue: { at: 'now', say: 'hi' }, save: true });
    expect(noPreview.code).toBe('CONFLICT');
    expect(noPreview.message).toMatch(/give "at" in seconds/);
    await call('avatar.playhead', { videoId, t: 1.5, playing: false });
    const now = await call<PushResult>('avatar.push', { videoId, cue: { say: 'now!' }, save: true });
    expect(now.event.cue.at).toBe(1.5);
    expect(now.event.saved).toBe(true);
    expect(now.track!.cues.find((c) => c.id === now.event.cue.id)).toMatchObject({ at: 1.5, say: 'now!' });
    expect((await fail('avatar.push', { cue: { say: 'x' }, save: true })).message).toMatch(/give videoId/);
  });

  it('refuses to save a cue past a full track, so the owner can still save edits', async () => {
    const full = Array.from({ length: 2000 }, (_, i) => ({ id: `c${i}`, at: i / 100, expression: 'happy' as const }));
    await call<CueTrack>('avatar.saveTrack', { videoId, cues: full });
    const refused = await fail('avatar.push', { videoId, cue: { at: 1, say: 'one more' }, save: true });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/cue track is full \(2000 cues\)/);
    expect((await call<CueTrack>('avatar.getTrack', { videoId })).cues).toHaveLength(2000);
    // Unsaved live cues still go through.
    expect((await call<PushResult>('avatar.push', { videoId, cue: { say: 'live only' } })).track).toBeNull();
    await call<CueTrack>('avatar.saveTrack', { videoId, cues: [] });
  });

  it('changes settings, validates them, and emits avatar.settings', async () => {
    events.length = 0;
    const s = await call<OverlaySettings>('avatar.setSettings', { corner: 'top-left', sizePct: 30, opacity: 0.5 });
    expect(s).toMatchObject({ corner: 'top-left', sizePct: 30, opacity: 0.5, marginPct: 3 });
    expect(events.map((e) => e.name)).toEqual(['avatar.settings']);
    expect((await fail('avatar.setSettings', { opacity: 2 })).code).toBe('INVALID_INPUT');
    expect((await fail('avatar.setSettings', { source: { kind: 'library', videoId: 4242 } })).code).toBe('NOT_FOUND');
    expect(await call<OverlaySettings>('avatar.setSettings', { source: { kind: 'library', videoId } })).toMatchObject({ source: { kind: 'library', videoId } });
    expect((await call<OverlaySettings>('avatar.getSettings', {})).corner).toBe('top-left');
  });

  it('audits the state-changing calls', () => {
    const names = host.audit.recent(100).map((e) => e.action);
    expect(names).toContain('avatar.push');
    expect(names).toContain('avatar.saveTrack');
    expect(names).not.toContain('avatar.playhead');
  });
});
