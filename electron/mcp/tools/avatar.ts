import { z } from 'zod';
import { liveCueSchema } from '../../../shared/contract/avatar';
import { defineTool } from '../toolkit';

export const avatarCueTool = defineTool({
  name: 'avatar_cue',
  title: 'Steer the avatar',
  description:
    "Sends a cue to the avatar drawn over the studio's open preview: an expression, a corner to move to, and/or a speech bubble, at a time in the video (seconds) or now. With save=true (and a videoId) the cue is also added to that video's cue track, which the avatar-overlay preset bakes into files.",
  input: z
    .object({
      videoId: z.number().int().positive().optional().describe('The video the cue belongs to; omit for whatever the preview shows (cannot be saved then)'),
      cue: liveCueSchema,
      save: z.boolean().default(false),
    })
    .strict(),
  readOnly: false,
  async run(args, { call }) {
    const r = await call('avatar.push', args);
    return { sent: r.event, savedCues: r.track ? r.track.cues.length : null };
  },
});
