import { z } from 'zod';
import { event, request } from './define';
import { AVATAR_CORNERS, AVATAR_EXPRESSIONS, MAX_SAY_CHARS } from '../avatar/cues';
import type { CueTrack, LiveCueEvent, OverlaySettings, PushResult } from '../dto/avatar';

/** Cue tracks are edited by hand or written by an LLM; these bounds keep one track small and a bubble readable. */
export const MAX_CUES_PER_TRACK = 2000;
export const MAX_CUE_TIME_SEC = 24 * 3600;

const videoId = z.number().int().positive();
const expression = z.enum(AVATAR_EXPRESSIONS);
const corner = z.enum(AVATAR_CORNERS);
const say = z.string().max(MAX_SAY_CHARS);
const sayForSec = z.number().positive().max(3600);

export const avatarCueSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (1-40)'),
    at: z.number().min(0).max(MAX_CUE_TIME_SEC),
    expression: expression.optional(),
    corner: corner.optional(),
    say: say.optional(),
    sayForSec: sayForSec.optional(),
  })
  .strict();

export const liveCueSchema = z
  .object({
    at: z.union([z.number().min(0).max(MAX_CUE_TIME_SEC), z.literal('now')]).optional(),
    expression: expression.optional(),
    corner: corner.optional(),
    say: say.optional(),
    sayForSec: sayForSec.optional(),
  })
  .strict()
  .refine((c) => c.expression !== undefined || c.corner !== undefined || c.say !== undefined, {
    message: 'a cue needs at least one of expression, corner or say',
  });

export const overlaySettingsPatch = z
  .object({
    corner: corner.optional(),
    sizePct: z.number().min(5).max(100).optional(),
    marginPct: z.number().min(0).max(25).optional(),
    opacity: z.number().min(0).max(1).optional(),
    visible: z.boolean().optional(),
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('builtin') }).strict(), z.object({ kind: z.literal('library'), videoId }).strict()]).optional(),
  })
  .strict();

export const avatarRequests = {
  'avatar.getTrack': request<CueTrack>()({
    input: z.object({ videoId }).strict(),
    description: "A video's saved avatar cue track (empty when none was saved).",
  }),
  'avatar.saveTrack': request<CueTrack>()({
    input: z
      .object({ videoId, cues: z.array(avatarCueSchema).max(MAX_CUES_PER_TRACK) })
      .strict()
      .refine((t) => new Set(t.cues.map((c) => c.id)).size === t.cues.length, { message: 'cue ids must be unique within a track' }),
    description: "Replaces a video's cue track (what the preview follows and the avatar-overlay preset bakes).",
    mutates: true,
  }),
  'avatar.push': request<PushResult>()({
    input: z
      .object({
        /** Omitted: whichever video the open preview shows (cannot be saved then). */
        videoId: videoId.optional(),
        cue: liveCueSchema,
        /** Also append it to the video's saved track ('now' becomes the open preview's playhead). */
        save: z.boolean().default(false),
      })
      .strict(),
    description: 'Sends a cue to the open preview now (expression, corner, speech bubble; at a time or now), optionally saving it.',
    mutates: true,
  }),
  'avatar.playhead': request<null>()({
    input: z.object({ videoId, t: z.number().min(0).max(MAX_CUE_TIME_SEC), playing: z.boolean() }).strict(),
    description: "The open preview reports where it is, so a cue saved 'now' lands at the moment the owner sees.",
  }),
  'avatar.getSettings': request<OverlaySettings>()({
    input: z.object({}).strict(),
    description: "The overlay's corner, size, margin, opacity, visibility and avatar source.",
  }),
  'avatar.setSettings': request<OverlaySettings>()({
    input: overlaySettingsPatch,
    description: "Changes the overlay's look; open previews follow at once.",
    mutates: true,
  }),
};

export const avatarEvents = {
  'avatar.cue': event<LiveCueEvent>('A cue pushed live; the open preview applies it at once.'),
  'avatar.track': event<CueTrack>("A video's cue track was saved."),
  'avatar.settings': event<OverlaySettings>("The overlay's look changed."),
};
