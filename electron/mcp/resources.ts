import type { Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { ChurchError } from '../../shared/errors';
import type { ToolContext } from './toolkit';
import { describeVideo } from './tools/library';

/** How many library items the resource list names (agents search for the rest with library_search). */
const LISTED_ITEMS = 100;

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: 'church://library/{id}',
    name: 'library-item',
    title: 'Library item',
    description: 'One library item as video_info describes it: probe, curation, collections, derived outputs.',
    mimeType: 'application/json',
  },
  {
    uriTemplate: 'church://cue-track/{videoId}',
    name: 'cue-track',
    title: 'Avatar cue track',
    description: "A video's saved avatar cue track (what the preview follows and the avatar-overlay preset bakes).",
    mimeType: 'application/json',
  },
];

const EXPRESSIONS_URI = 'church://avatar/expressions';

/** The avatar's expressions, then the newest library items and their cue tracks. */
export async function listStudioResources(ctx: ToolContext): Promise<Resource[]> {
  const page = await ctx.call('library.search', { limit: LISTED_ITEMS, sort: 'addedAt' });
  const expressions: Resource = {
    uri: EXPRESSIONS_URI,
    name: 'avatar-expressions',
    title: 'Avatar expressions',
    description: 'Every expression avatar_cue accepts, with what it looks like and when to use it.',
    mimeType: 'application/json',
  };
  return [expressions, ...page.items.flatMap((v): Resource[] => [
    { uri: `church://library/${v.id}`, name: `library-${v.id}`, title: v.title, mimeType: 'application/json' },
    { uri: `church://cue-track/${v.id}`, name: `cue-track-${v.id}`, title: `Cue track of ${v.title}`, mimeType: 'application/json' },
  ])];
}

export async function readStudioResource(uri: string, ctx: ToolContext): Promise<{ uri: string; mimeType: string; text: string }> {
  if (uri === EXPRESSIONS_URI) return { uri, mimeType: 'application/json', text: JSON.stringify(await ctx.call('avatar.expressions', {}), null, 2) };
  const m = /^church:\/\/(library|cue-track)\/(\d{1,12})$/.exec(uri);
  if (!m) throw new ChurchError('NOT_FOUND', `unknown resource ${uri.slice(0, 200)}; the studio serves ${EXPRESSIONS_URI}, church://library/{id} and church://cue-track/{videoId}`);
  const id = Number(m[2]);
  const value = m[1] === 'library' ? await describeVideo(id, ctx) : await ctx.call('avatar.getTrack', { videoId: id });
  return { uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) };
}
