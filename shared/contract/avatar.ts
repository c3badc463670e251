import { z } from 'zod';

/** POSIX or Windows absolute (the contract is shared with the renderer, so no node:path). */
const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import { AVATAR_CORNERS, MAX_SAY_CHARS } from '../avatar/cues';
import { EXPRESSION_NAME } from '../avatar/expressions';
import { DEFAULT_FADE_MS, DEFAULT_MOVE_MS, MAX_FADE_MS, MAX_MOVE_MS } from '../avatar/animate';
import type { LoudnessTrack } from '../avatar/loudness';
import type { AvatarStateReport, CueTrack, ExpressionList, FacePicture, LiveCueEvent, OverlaySettings, PushResult } from '../dto/avatar';

/** Cue tracks are edited by hand or written by an LLM; these bounds keep one track small and a bubble readable. */
export const MAX_CUES_PER_TRACK = 2000;
export const MAX_CUE_TIME_SEC = 24 * 3600;

const videoId = z.number().int().positive();
/** Checked against the built-in and user expressions by the service (the user's set lives in the data dir). */
const expression = z.string().regex(EXPRESSION_NAME, 'an expression name (see avatar.expressions)');
const corner = z.enum(AVATAR_CORNERS);
const say = z.string().max(MAX_SAY_CHARS);
const sayForSec = z.number().positive().max(3600);
/** Motion of a cue: how its expression fades in, how the box eases to a new corner/size, a speech span. */
const motion = {
  fadeMs: z.number().int().min(0).max(MAX_FADE_MS).optional().describe(`Milliseconds the new expression fades in over (default ${DEFAULT_FADE_MS})`),
  sizePct: z.number().min(5).max(100).optional().describe("Avatar size from here on, % of the picture's shorter side"),
  moveMs: z.number().int().min(0).max(MAX_MOVE_MS).optional().describe(`Milliseconds a corner or size change eases over (default ${DEFAULT_MOVE_MS})`),
  speakSec: z.number().positive().max(600).optional().describe('The mouth moves as if speaking for this many seconds'),
};
const changesSomething = (c: { expression?: unknown; corner?: unknown; say?: unknown; sizePct?: unknown; speakSec?: unknown }) =>
  c.expression !== undefined || c.corner !== undefined || c.say !== undefined || c.sizePct !== undefined || c.speakSec !== undefined;
const NEEDS_SOMETHING = { message: 'a cue needs at least one of expression, corner, say, sizePct or speakSec' };

export const avatarCueSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (1-40)'),
    at: z.number().min(0).max(MAX_CUE_TIME_SEC),
    expression: expression.optional(),
    corner: corner.optional(),
    say: say.optional(),
    sayForSec: sayForSec.optional(),
    ...motion,
  })
  .strict();

export const liveCueSchema = z
  .object({
    at: z.union([z.number().min(0).max(MAX_CUE_TIME_SEC), z.literal('now')]).optional(),
    expression: expression.optional(),
    corner: corner.optional(),
    say: say.optional(),
    sayForSec: sayForSec.optional(),
    ...motion,
    afterSec: z.number().min(0).max(3600).optional().describe('With at "now" (or no at): this many seconds after now'),
  })
  .strict()
  .refine(changesSomething, NEEDS_SOMETHING)
  .refine((c) => c.afterSec === undefined || typeof c.at !== 'number', { message: 'afterSec counts from "now"; give either at in seconds or afterSec' });

/** Longest script of cues one call may send. */
export const MAX_SCRIPT_CUES = 50;

export const overlaySettingsPatch = z
  .object({
    corner: corner.optional(),
    sizePct: z.number().min(5).max(100).optional(),
    marginPct: z.number().min(0).max(25).optional(),
    opacity: z.number().min(0).max(1).optional(),
    visible: z.boolean().optional(),
    lipSync: z.boolean().optional(),
    blink: z.boolean().optional(),
    source: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('builtin') }).strict(),
        z.object({ kind: z.literal('library'), videoId, atSec: z.number().min(0).max(MAX_CUE_TIME_SEC).optional() }).strict(),
        z.object({ kind: z.literal('image'), path: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path') }).strict(),
      ])
      .optional(),
  })
  .strict();

export const avatarRequests = {
  'avatar.getTrack': request<CueTrack>()({
    actors: OWNER_AND_MCP,
    input: z.object({ videoId }).strict(),
    description: "A video's saved avatar cue track (empty when none was saved).",
  }),
  'avatar.saveTrack': request<CueTrack>()({
    actors: OWNER_AND_MCP,
    input: z
      .object({ videoId, cues: z.array(avatarCueSchema).max(MAX_CUES_PER_TRACK) })
      .strict()
      .refine((t) => new Set(t.cues.map((c) => c.id)).size === t.cues.length, { message: 'cue ids must be unique within a track' }),
    description: "Replaces a video's cue track (what the preview follows and the avatar-overlay preset bakes).",
    mutates: true,
  }),
  'avatar.push': request<PushResult>()({
    actors: OWNER_AND_MCP,
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
  'avatar.pushScript': request<PushResult[]>()({
    actors: OWNER_AND_MCP,
    input: z
      .object({
        videoId: videoId.optional(),
        cues: z.array(liveCueSchema).min(1).max(MAX_SCRIPT_CUES),
        save: z.boolean().default(false),
      })
      .strict(),
    description: 'Sends several cues at once (a short script with times, fades and speech spans); "now" is one moment for all of them.',
    mutates: true,
  }),
  'avatar.loudness': request<LoudnessTrack | null>()({
    actors: OWNER,
    input: z.object({ videoId }).strict(),
    description: "A video's loudness track (RMS per 20 ms, normalised to the loudest window) that drives the mouth; null without audio.",
  }),
  'avatar.state': request<AvatarStateReport>()({
    actors: OWNER_AND_MCP,
    input: z
      .object({
        videoId,
        at: z.number().min(0).max(MAX_CUE_TIME_SEC).optional(),
        aroundSec: z.number().min(0).max(3600).default(10),
      })
      .strict(),
    description: 'What the avatar shows at a time (default: where the open preview is): expression, position, speaking, bubble, and the cues around it.',
  }),
  'avatar.expressions': request<ExpressionList>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description:
      "The expressions a cue may name, each with what it looks like and when to use it: the built-ins and the user's files in <dataDir>/avatar/expressions (broken files listed with why).",
  }),
  'avatar.facePicture': request<FacePicture | null>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: "The face picture of the overlay's source (a library video's frame or an image file), cut square; null for the built-in face.",
  }),
  'avatar.playhead': request<null>()({
    actors: OWNER,
    input: z.object({ videoId, t: z.number().min(0).max(MAX_CUE_TIME_SEC), playing: z.boolean() }).strict(),
    description: "The open preview reports where it is, so a cue saved 'now' lands at the moment the owner sees.",
  }),
  'avatar.getSettings': request<OverlaySettings>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: "The overlay's corner, size, margin, opacity, visibility and avatar source.",
  }),
  'avatar.setSettings': request<OverlaySettings>()({
    actors: OWNER,
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
