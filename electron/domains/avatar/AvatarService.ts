import { z } from 'zod';
import type { EventName, EventPayload } from '../../../shared/contract';
import { avatarFrameAt, DEFAULT_OVERLAY_LOOK, type FaceImage, orderCues, resolveCueTime, type AvatarCue, type LoudnessTrack } from '../../../shared/avatar';
import { MAX_CUES_PER_TRACK, overlaySettingsPatch } from '../../../shared/contract/avatar';
import type { AvatarStateReport, CueTrack, ExpressionList, FacePicture, LiveCueEvent, LiveCueInput, OverlaySettings, PushResult } from '../../../shared/dto/avatar';
import { ChurchError } from '../../../shared/errors';
import { migrate, type Db, type Migration } from '../../platform/db';
import type { SettingsStore } from '../../platform/settings';
import { ensureBubbleFonts } from './bubbleFonts';
import { writeCueOverlay } from './cueOverlay';
import { measureLoudness } from './measureLoudness';
import { UserExpressions } from './userExpressions';
import { extractFacePicture } from './extractFacePicture';
import { existsSync, statSync } from 'node:fs';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'avatar cue tracks',
    up: (db) => db.exec('CREATE TABLE avatar_tracks (video_id INTEGER PRIMARY KEY, cues TEXT NOT NULL, updated_at TEXT NOT NULL)'),
  },
];

const SETTINGS_KEY = 'avatar.overlay';
export const DEFAULT_OVERLAY_SETTINGS: OverlaySettings = { ...DEFAULT_OVERLAY_LOOK, visible: true, source: { kind: 'builtin' }, lipSync: false, blink: false };
/** Loudness tracks kept in memory (a few open videos; an hour of video is ~180k numbers). */
const LOUDNESS_CACHE = 8;

/** A playhead report older than this no longer says where the owner is (the preview reports every few seconds). */
const PLAYHEAD_FRESH_MS = 15_000;

const storedCues = z.array(z.object({ id: z.string(), at: z.number() }).passthrough());

export interface AvatarDeps {
  db: Db;
  settings: SettingsStore;
  /** Events for open previews: avatar.cue, avatar.track, avatar.settings. */
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  /** Whether a library item exists (tracks belong to videos). */
  videoExists: (videoId: number) => boolean;
  /** A library item's file (for its loudness track); null when unknown. */
  videoPath?: (videoId: number) => string | null;
  /** Environment for ffmpeg (FFMPEG_PATH). */
  env?: NodeJS.ProcessEnv;
  /** The user's expression files (<dataDir>/avatar/expressions); without it only the built-ins exist. */
  expressionsDir?: string;
  now?: () => number;
}

/**
 * Cue tracks per video (SQLite), the overlay's look (settings), live cues for the open preview, and the bake of
 * a track into an ffmpeg overlay input.
 */
export class AvatarService {
  private readonly playheads = new Map<number, { t: number; playing: boolean; at: number }>();
  private readonly now: () => number;
  private seq = 0;
  private readonly loudnessCache = new Map<string, Promise<LoudnessTrack | null>>();
  /** The face picture of the last source asked for (one source at a time is in use). */
  private faceCache: { key: string; picture: Promise<FaceImage> } | null = null;
  readonly expressions: UserExpressions;

  constructor(private readonly deps: AvatarDeps) {
    migrate(deps.db, 'avatar', migrations);
    this.now = deps.now ?? Date.now;
    this.expressions = new UserExpressions(deps.expressionsDir ?? null);
  }

  /** The face picture of the overlay's source; null for the built-in face. */
  async facePicture(): Promise<FaceImage | null> {
    const source = this.getSettings().source;
    if (source.kind === 'builtin') return null;
    const path = source.kind === 'image' ? source.path : this.deps.videoPath?.(source.videoId);
    if (!path) throw new ChurchError('NOT_FOUND', `the avatar's face is library video ${source.kind === 'library' ? source.videoId : ''}, which is no longer in the library; pick another in "Drawn from"`);
    const atSec = source.kind === 'library' ? (source.atSec ?? 0) : 0;
    let stamp: string;
    try {
      const st = statSync(path);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      throw new ChurchError('NOT_FOUND', `the avatar's face picture ${path} cannot be read (moved or deleted?); pick another in "Drawn from"`);
    }
    const key = `${path}|${stamp}|${atSec}`;
    if (this.faceCache?.key !== key) {
      const picture = extractFacePicture(path, atSec, { env: this.deps.env });
      this.faceCache = { key, picture };
      picture.catch(() => {
        if (this.faceCache?.key === key) this.faceCache = null;
      });
    }
    return this.faceCache.picture;
  }

  /** facePicture for the contract: the pixels as base64. */
  async facePictureDto(): Promise<FacePicture | null> {
    const p = await this.facePicture();
    return p ? { size: p.size, rgbaBase64: Buffer.from(p.rgba.buffer, p.rgba.byteOffset, p.rgba.byteLength).toString('base64') } : null;
  }

  listExpressions(): ExpressionList {
    return this.expressions.list();
  }

  /** Every expression a set of cues names must exist (built-in or a readable user file). */
  private requireExpressions(cues: readonly { expression?: string }[]): void {
    cues.forEach((c, i) => {
      if (c.expression !== undefined) this.expressions.require(c.expression, cues.length > 1 ? `cues[${i}].expression` : 'expression');
    });
  }

  getTrack(videoId: number): CueTrack {
    const row = this.deps.db.prepare('SELECT cues, updated_at FROM avatar_tracks WHERE video_id = ?').get(videoId) as
      | { cues: string; updated_at: string }
      | undefined;
    if (!row) return { videoId, cues: [], updatedAt: null };
    const parsed = storedCues.safeParse(JSON.parse(row.cues));
    return { videoId, cues: parsed.success ? (parsed.data as AvatarCue[]) : [], updatedAt: row.updated_at };
  }

  saveTrack(videoId: number, cues: AvatarCue[]): CueTrack {
    this.requireVideo(videoId);
    this.requireExpressions(cues);
    if (cues.length > MAX_CUES_PER_TRACK) {
      throw new ChurchError('CONFLICT', `a cue track holds at most ${MAX_CUES_PER_TRACK} cues (this one has ${cues.length}); delete some in the timeline`);
    }
    const updatedAt = new Date(this.now()).toISOString();
    // Stored in application order, so the tie rule (later entry wins) survives any editor's reordering.
    const ordered = orderCues(cues);
    this.deps.db
      .prepare(
        'INSERT INTO avatar_tracks (video_id, cues, updated_at) VALUES (?, ?, ?) ON CONFLICT(video_id) DO UPDATE SET cues = excluded.cues, updated_at = excluded.updated_at',
      )
      .run(videoId, JSON.stringify(ordered), updatedAt);
    const track = { videoId, cues: ordered, updatedAt };
    this.deps.emit('avatar.track', track);
    return track;
  }

  /** Sends a cue to the open preview; with save, appends it to the video's track too. */
  push(input: { videoId?: number; cue: LiveCueInput; save: boolean }): PushResult {
    const id = `live-${this.now().toString(36)}-${(this.seq++).toString(36)}`;
    if (input.videoId !== undefined) this.requireVideo(input.videoId);
    this.requireExpressions([input.cue]);
    if (!input.save) {
      const event: LiveCueEvent = { videoId: input.videoId ?? null, cue: { ...input.cue, id, at: input.cue.at ?? 'now' }, saved: false };
      this.deps.emit('avatar.cue', event);
      return { event, track: null };
    }
    if (input.videoId === undefined) throw new ChurchError('INVALID_INPUT', 'a cue can only be saved to a named video; give videoId');
    const { afterSec, ...given } = input.cue;
    let at = given.at;
    if (at === undefined || at === 'now') {
      const playhead = this.playheadOf(input.videoId);
      if (playhead === null) {
        throw new ChurchError(
          'CONFLICT',
          `no open preview of video ${input.videoId} reported its position, so "now" has no time; give "at" in seconds, or open the video in the studio`,
        );
      }
      at = playhead + (afterSec ?? 0);
    }
    const cue = resolveCueTime({ ...given, id, at }, at);
    const existing = this.getTrack(input.videoId).cues;
    // A looping agent saving cues must not fill the track past what the owner's editor can still save.
    if (existing.length >= MAX_CUES_PER_TRACK) {
      throw new ChurchError('CONFLICT', `video ${input.videoId}'s cue track is full (${MAX_CUES_PER_TRACK} cues); delete some in the timeline, or push without save`);
    }
    const track = this.saveTrack(input.videoId, [...existing, cue]);
    const event: LiveCueEvent = { videoId: input.videoId, cue, saved: true };
    this.deps.emit('avatar.cue', event);
    return { event, track };
  }

  /** Several live cues as one script: "now" is one moment for all (the preview's playhead when known). */
  pushScript(input: { videoId?: number; cues: LiveCueInput[]; save: boolean }): PushResult[] {
    // The whole script or nothing: a bad name in cue 7 must not leave cues 1-6 sent.
    this.requireExpressions(input.cues);
    const base = input.videoId !== undefined ? this.playheadOf(input.videoId) : null;
    return input.cues.map((cue) => {
      if (typeof cue.at === 'number' || base === null) return this.push({ videoId: input.videoId, cue, save: input.save });
      const { afterSec, ...rest } = cue;
      return this.push({ videoId: input.videoId, cue: { ...rest, at: base + (afterSec ?? 0) }, save: input.save });
    });
  }

  /** The loudness track of a video's audio (measured once per file and kept for a few videos). */
  loudness(videoId: number): Promise<LoudnessTrack | null> {
    this.requireVideo(videoId);
    const path = this.deps.videoPath?.(videoId) ?? null;
    if (!path) return Promise.resolve(null);
    const key = `${videoId}:${path}`;
    let p = this.loudnessCache.get(key);
    if (!p) {
      p = measureLoudness(path, { env: this.deps.env });
      this.loudnessCache.set(key, p);
      p.catch(() => this.loudnessCache.delete(key));
      if (this.loudnessCache.size > LOUDNESS_CACHE) this.loudnessCache.delete(this.loudnessCache.keys().next().value!);
    }
    return p;
  }

  /** What the avatar shows at t (default: the open preview's playhead, else 0) and the saved cues around it. */
  async state(videoId: number, at: number | undefined, aroundSec: number): Promise<AvatarStateReport> {
    this.requireVideo(videoId);
    const playhead = this.playheadOf(videoId);
    const t = at ?? playhead ?? 0;
    const { cues } = this.getTrack(videoId);
    const settings = this.getSettings();
    const loudness = settings.lipSync ? await this.loudness(videoId).catch(() => null) : null;
    const f = avatarFrameAt(cues, t, { loudness, blinkSeed: settings.blink ? videoId : null });
    return {
      videoId,
      t,
      playhead,
      expression: f.expression,
      fadingFrom: f.fromExpression ? { expression: f.fromExpression, progress: f.fade } : null,
      corner: f.corner ?? settings.corner,
      sizePct: f.sizePct ?? settings.sizePct,
      moving: f.move < 1,
      say: f.say,
      speaking: f.mouth > 0,
      mouth: f.mouth,
      cuesAround: orderCues(cues).filter((c) => Math.abs(c.at - t) <= aroundSec),
      trackLength: cues.length,
    };
  }

  reportPlayhead(videoId: number, t: number, playing: boolean): void {
    this.playheads.set(videoId, { t, playing, at: this.now() });
  }

  /** Where the open preview of a video is now (extrapolated while playing); null when none reported lately. */
  playheadOf(videoId: number): number | null {
    const p = this.playheads.get(videoId);
    if (!p || this.now() - p.at > PLAYHEAD_FRESH_MS) return null;
    return p.playing ? p.t + (this.now() - p.at) / 1000 : p.t;
  }

  getSettings(): OverlaySettings {
    // Stored looks from before a field existed keep their values; the new field takes its default.
    return { ...DEFAULT_OVERLAY_SETTINGS, ...this.deps.settings.get(SETTINGS_KEY, overlaySettingsPatch, {}) } as OverlaySettings;
  }

  setSettings(patch: z.output<typeof overlaySettingsPatch>): OverlaySettings {
    if (patch.source?.kind === 'library') this.requireVideo(patch.source.videoId);
    if (patch.source?.kind === 'image' && !existsSync(patch.source.path)) {
      throw new ChurchError('NOT_FOUND', `there is no file ${patch.source.path}; give the full path of an image (PNG, JPEG, WebP)`);
    }
    const next = { ...DEFAULT_OVERLAY_SETTINGS, ...this.deps.settings.set(SETTINGS_KEY, overlaySettingsPatch, { ...this.getSettings(), ...patch }) } as OverlaySettings;
    this.deps.emit('avatar.settings', next);
    return next;
  }

  /**
   * Renders a video's saved cue track as an overlay input for ffmpeg (an ffconcat list of transparent PNG frames
   * with their durations), sized for the output; null when the video has no cue track. The job engine's
   * avatar-overlay preset bakes it at 0:0, so a file shows what the live overlay showed.
   */
  async renderCueOverlay(
    videoId: number,
    opts: { width: number; height: number; durationSec: number; workDir: string; fps?: number | null },
  ): Promise<{ path: string; format: 'concat' } | null> {
    const { cues } = this.getTrack(videoId);
    if (cues.length === 0) return null;
    const settings = this.getSettings();
    ensureBubbleFonts();
    const loudness = settings.lipSync ? await this.loudness(videoId) : null;
    const faceImage = await this.facePicture();
    const files = await writeCueOverlay(cues, settings, {
      ...opts,
      loudness,
      blinkSeed: settings.blink ? videoId : null,
      faceImage,
      faces: this.expressions.faces(),
    });
    return files ? { path: files.path, format: 'concat' } : null;
  }

  private requireVideo(videoId: number): void {
    if (!this.deps.videoExists(videoId)) throw new ChurchError('NOT_FOUND', `there is no video ${videoId} in the library; pick one from the library (its id)`);
  }
}
