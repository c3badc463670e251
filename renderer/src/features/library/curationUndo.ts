import type { VideoSummary } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import type { BulkEdit, LibraryState } from './libraryTypes';

type Field = 'tags' | 'rating' | 'favourite' | 'tier';
export type PriorCuration = Pick<VideoSummary, 'id' | Field>;

/** The curation fields an edit changes: the ones an undo must put back. */
export function fieldsOf(edit: BulkEdit | { rating?: number; favourite?: boolean }): Field[] {
  const e = edit as BulkEdit;
  const out: Field[] = [];
  if (e.addTags || e.removeTags) out.push('tags');
  if (e.rating !== undefined) out.push('rating');
  if (e.favourite !== undefined) out.push('favourite');
  if (e.tier !== undefined) out.push('tier');
  return out;
}

/** What the videos carry now, from the pages on screen, or asked of the library for those scrolled away. */
export async function priorCuration(ids: readonly number[], state: LibraryState): Promise<PriorCuration[]> {
  const known = new Map<number, PriorCuration>();
  for (const p of state.pages.values()) for (const it of p.items) if (ids.includes(it.id)) known.set(it.id, it);
  const missing = ids.filter((id) => !known.has(id));
  const fetched = await Promise.all(missing.map((id) => call('library.get', { id }, { quiet: true })));
  for (const v of fetched) known.set(v.id, v);
  return ids.map((id) => known.get(id)!).map(({ id, tags, rating, favourite, tier }) => ({ id, tags: [...tags], rating, favourite, tier }));
}

/** Puts back the given fields of each video as they were (one edit per video: tags differ from video to video). */
export async function restoreCuration(prior: readonly PriorCuration[], fields: readonly Field[]): Promise<void> {
  await Promise.all(
    prior.map((p) => {
      const keep = (f: Field) => fields.includes(f);
      const patch = { tags: keep('tags') ? p.tags : undefined, rating: keep('rating') ? p.rating : undefined, favourite: keep('favourite') ? p.favourite : undefined, tier: keep('tier') ? p.tier : undefined };
      return call('library.update', { id: p.id, patch });
    }),
  );
}
