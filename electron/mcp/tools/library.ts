import { z } from 'zod';
import { ACCESS_TIERS, LIBRARY_SORTS, type VideoDetail, type VideoSummary } from '../../../shared/dto/library';
import { defineTool, type ToolContext } from '../toolkit';

const videoId = z.number().int().positive().describe('A library id, as returned by library_search');

/** What an agent needs of a list item: small, no filesystem paths. */
function brief(v: VideoSummary) {
  return {
    id: v.id,
    kind: v.kind,
    title: v.title,
    durationSec: v.durationSec === null ? null : Math.round(v.durationSec * 10) / 10,
    resolution: v.width && v.height ? `${v.width}x${v.height}` : null,
    videoCodec: v.videoCodec,
    tier: v.tier,
    rating: v.rating,
    favourite: v.favourite,
    tags: v.tags,
    missing: v.missing,
  };
}

const itemOutput = z.looseObject({
  id: z.number(),
  kind: z.string(),
  title: z.string(),
  durationSec: z.number().nullable(),
  resolution: z.string().nullable(),
  tier: z.string(),
  tags: z.array(z.string()),
});

export const librarySearchTool = defineTool({
  name: 'library_search',
  title: 'Search the video library',
  description:
    'Full-text search over titles, file names, tags, collections and notes, with optional filters. Returns library ids to pass to video_info, transcode, thumbnail and hls_package. Read-only.',
  input: z
    .object({
      query: z.string().max(500).optional().describe('Words to look for; omit to list everything'),
      tags: z.array(z.string().min(1).max(64)).max(20).optional().describe('Only items carrying all these tags'),
      tiers: z.array(z.enum(ACCESS_TIERS)).max(3).optional(),
      minRating: z.number().int().min(0).max(5).optional(),
      minDurationSec: z.number().min(0).optional(),
      maxDurationSec: z.number().min(0).optional(),
      sort: z.enum(LIBRARY_SORTS).optional().describe('Default: relevance with a query, else newest first'),
      limit: z.number().int().min(1).max(100).default(20),
    })
    .strict(),
  output: z.object({ total: z.number(), items: z.array(itemOutput) }),
  readOnly: true,
  async run(args, { call }) {
    const { limit, sort, ...filters } = args;
    const page = await call('library.search', { ...filters, limit, sort: sort ?? (filters.query ? 'relevance' : 'addedAt') });
    return { total: page.total, items: page.items.map(brief) };
  },
});

function streamsOf(v: VideoDetail) {
  return (v.probe?.streams ?? [])
    .filter((s) => !s.attachedPic)
    .map((s) =>
      s.type === 'video'
        ? { type: s.type, codec: s.codec, width: s.width, height: s.height, fps: s.fps, pixFmt: s.pixFmt, rotation: s.rotation }
        : { type: s.type, codec: s.codec, channels: s.channels, sampleRate: s.sampleRate, language: s.language },
    );
}

export const videoInfoTool = defineTool({
  name: 'video_info',
  title: 'Video details',
  description: 'Everything the studio knows of one library item: probe (container, streams), curation (tags, rating, tier, notes), collections and derived outputs (transcodes, HLS packages, thumbnails). Read-only.',
  input: z.object({ id: videoId }).strict(),
  output: itemOutput.extend({ streams: z.array(z.looseObject({ type: z.string() })), outputs: z.array(z.looseObject({ id: z.number(), preset: z.string() })) }),
  readOnly: true,
  run: ({ id }, ctx) => describeVideo(id, ctx),
});

/** One library item as an agent needs it (video_info and the church://library/{id} resource). */
export async function describeVideo(id: number, { call }: Pick<ToolContext, 'call'>) {
  {
    const v = await call('library.get', { id });
    return {
      ...brief(v),
      container: v.container,
      bitRate: v.bitRate,
      sizeBytes: v.sizeBytes,
      notes: v.notes,
      collections: v.collections.map((c) => c.name),
      duplicateIds: v.duplicateIds,
      streams: streamsOf(v),
      outputs: v.outputs.map((o) => ({ id: o.id, preset: o.preset, kind: o.kind, sizeBytes: o.sizeBytes, jobId: o.jobId, exists: o.exists })),
    };
  }
}
