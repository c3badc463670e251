import { z } from 'zod';
import { AVATAR_CORNERS, BUILTIN_EXPRESSIONS } from '../../../shared/avatar';
import { avatarCueSchema, liveCueSchema, MAX_CUES_PER_TRACK, MAX_SCRIPT_CUES } from '../../../shared/contract/avatar';
import type { PushResult } from '../../../shared/dto/avatar';
import { ChurchError } from '../../../shared/errors';
import { defineTool } from '../toolkit';

const videoId = z.number().int().positive().describe('A library id, as returned by library_search');
const cueOutput = z.looseObject({ id: z.string(), at: z.union([z.number(), z.literal('now')]) });

const sentOf = (r: PushResult) => r.event;

export const avatarCueTool = defineTool({
  name: 'avatar_cue',
  title: 'Steer the avatar',
  description: `Sends a cue to the avatar drawn over the studio's open preview: an expression (built in: ${BUILTIN_EXPRESSIONS.map((e) => `${e.name} — ${e.whenToUse}`).join('; ')}; the owner may have added more: avatar_expressions lists them all with when to use each; fades in over fadeMs), a corner (${AVATAR_CORNERS.join(', ')}) or size to ease to over moveMs, a speech bubble that types in, and/or speakSec seconds of a talking mouth — at a time in the video (seconds) or now. Give "script" instead of "cue" for several cues in one call (times in seconds, or afterSec seconds after now). With save=true (and a videoId) the cues are also added to that video's cue track, which the avatar-overlay preset bakes into files.`,
  input: z
    .object({
      videoId: videoId.optional().describe('The video the cue belongs to; omit for whatever the preview shows (cannot be saved then)'),
      cue: liveCueSchema.optional(),
      script: z.array(liveCueSchema).min(1).max(MAX_SCRIPT_CUES).optional().describe('Several cues sent together; "now" is one moment for all of them'),
      save: z.boolean().default(false),
    })
    .strict()
    .refine((a) => (a.cue === undefined) !== (a.script === undefined), { message: 'give either cue or script (not both)' }),
  output: z.object({ sent: z.array(z.looseObject({ videoId: z.number().nullable(), cue: cueOutput, saved: z.boolean() })), savedCues: z.number().nullable() }),
  readOnly: false,
  async run({ videoId: id, cue, script, save }, { call }) {
    const results = script ? await call('avatar.pushScript', { videoId: id, cues: script, save }) : [await call('avatar.push', { videoId: id, cue: cue!, save })];
    const track = results.at(-1)?.track ?? null;
    return { sent: results.map(sentOf), savedCues: track ? track.cues.length : null };
  },
});

export const avatarStateTool = defineTool({
  name: 'avatar_state',
  title: 'What the avatar shows',
  description:
    "Reads back the avatar of a video at a time (default: where the studio's open preview is now): its expression (and one fading out), corner and size, whether it is moving or speaking, its speech bubble, and the saved cues within aroundSec of that time. Read-only.",
  input: z
    .object({
      videoId,
      at: z.number().min(0).max(86_400).optional().describe("Seconds of video time; default: the open preview's playhead (0 when none is open)"),
      aroundSec: z.number().min(0).max(3600).default(10),
    })
    .strict(),
  output: z.looseObject({
    videoId: z.number(),
    t: z.number(),
    playhead: z.number().nullable(),
    expression: z.string(),
    corner: z.string(),
    sizePct: z.number(),
    say: z.string().nullable(),
    speaking: z.boolean(),
    cuesAround: z.array(cueOutput),
  }),
  readOnly: true,
  async run(args, { call }) {
    return { ...(await call('avatar.state', args)) };
  },
});

export const avatarTrackSaveTool = defineTool({
  name: 'avatar_track_save',
  title: "Replace a video's cue track",
  description: `Replaces a video's whole saved cue track with the given cues (at most ${MAX_CUES_PER_TRACK}; each with a unique id and a time in seconds). The previous track is gone afterwards: read it first (avatar_state or the church://cue-track/{videoId} resource) to keep parts of it.`,
  input: z.object({ videoId, cues: z.array(avatarCueSchema).max(MAX_CUES_PER_TRACK) }).strict(),
  output: z.object({ videoId: z.number(), cues: z.array(cueOutput), updatedAt: z.string().nullable() }),
  readOnly: false,
  destructive: true,
  idempotent: true,
  async run({ videoId: id, cues }, { call }) {
    if (new Set(cues.map((c) => c.id)).size !== cues.length) throw new ChurchError('INVALID_INPUT', 'cue ids must be unique within a track; rename the duplicates');
    return { ...(await call('avatar.saveTrack', { videoId: id, cues })) };
  },
});

export const avatarExpressionsTool = defineTool({
  name: 'avatar_expressions',
  title: 'Expressions the avatar can show',
  description:
    "Lists every expression avatar_cue accepts — the built-ins and the ones the studio's owner added — each with a description of the face and when to use it, so you can pick the one that fits the moment. Files the owner got wrong are listed under problems (they cannot be used until fixed). Read-only.",
  input: z.object({}).strict(),
  output: z.object({
    expressions: z.array(z.looseObject({ name: z.string(), description: z.string(), whenToUse: z.string(), builtIn: z.boolean() })),
    problems: z.array(z.object({ file: z.string(), message: z.string() })),
  }),
  readOnly: true,
  idempotent: true,
  async run(_args, { call }) {
    const list = await call('avatar.expressions', {});
    // What an agent chooses by; the drawing parameters are the studio's business.
    return { expressions: list.expressions.map(({ name, description, whenToUse, builtIn }) => ({ name, description, whenToUse, builtIn })), problems: list.problems };
  },
});
