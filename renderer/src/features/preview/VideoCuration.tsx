import { useState } from 'react';
import { ACCESS_TIERS, type AccessTier, type VideoDetail } from '../../../../shared/dto/library';
import { call } from '../../lib/api';
import { useUndo, type UndoEntry } from '../../lib/stores/undo';
import { FavouriteToggle, RatingInput } from '../../ui/Rating';
import { usePreview } from './store';
import { VideoCollections } from './VideoCollections';

type CurationPatch = { notes?: string; tier?: AccessTier; tags?: string[]; rating?: number; favourite?: boolean; title?: string };

/** How to take back a change of tags, rating, favourite or tier (typed text has the field's own undo). */
function curationUndo(video: VideoDetail, patch: CurationPatch, reload: () => Promise<void>): UndoEntry | null {
  const prior: CurationPatch = {};
  let message = '';
  if (patch.tags) {
    prior.tags = video.tags;
    const removed = video.tags.filter((t) => !patch.tags!.includes(t));
    const added = patch.tags.filter((t) => !video.tags.includes(t));
    message = removed.length ? `Tag “${removed.join(', ')}” removed.` : `Tag “${added.join(', ')}” added.`;
  }
  if (patch.rating !== undefined) [prior.rating, message] = [video.rating, patch.rating ? `Rated ${patch.rating}★.` : 'Rating cleared.'];
  if (patch.favourite !== undefined) [prior.favourite, message] = [video.favourite, patch.favourite ? 'Marked favourite.' : 'No longer favourite.'];
  if (patch.tier !== undefined) [prior.tier, message] = [video.tier, `Tier set to ${patch.tier}.`];
  if (!message) return null;
  return {
    message,
    undo: async () => {
      await call('library.update', { id: video.id, patch: prior });
      await reload();
    },
  };
}

/** The owner's words about a video: title, rating, favourite, tier, tags, collections and notes, saved as edited. */
export function VideoCuration({ video }: { video: VideoDetail }) {
  const reload = usePreview((s) => s.reloadVideo);
  const [notes, setNotes] = useState(video.notes);
  const [tagText, setTagText] = useState('');

  const [title, setTitle] = useState(video.title);
  const update = async (patch: CurationPatch) => {
    try {
      await call('library.update', { id: video.id, patch });
      const undo = curationUndo(video, patch, reload);
      if (undo) useUndo.getState().record(undo);
      await reload();
    } catch {
      // call() showed why
    }
  };
  return (
    <div className="pv-curation">
      <input
        className="input pv-title-input"
        aria-label="Title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        onBlur={() => title.trim() && title !== video.title && void update({ title: title.trim() })}
        data-testid="detail-title"
      />
      <div className="pv-rate-row">
        <RatingInput rating={video.rating} onRate={(rating) => void update({ rating })} size="large" testId="detail-rating" starTestId="detail-rate" />
        <FavouriteToggle favourite={video.favourite} onToggle={(favourite) => void update({ favourite })} testId="detail-fav" />
      </div>
      <label>
        Tier
        <select className="input" value={video.tier} onChange={(e) => void update({ tier: e.target.value as AccessTier })} data-testid="detail-tier">
          {ACCESS_TIERS.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <div className="pv-tags" data-testid="detail-tags">
        {video.tags.map((t) => (
          <span key={t} className="badge pv-tag">
            {t}
            <button className="icon-button" aria-label={`Remove tag ${t}`} onClick={() => void update({ tags: video.tags.filter((x) => x !== t) })}>
              ×
            </button>
          </span>
        ))}
        <input
          className="input pv-tag-input"
          placeholder="add tag ⏎"
          value={tagText}
          onChange={(e) => setTagText(e.target.value)}
          onKeyDown={(e) => {
            const tag = tagText.trim();
            if (e.key === 'Enter' && tag) {
              setTagText('');
              void update({ tags: [...new Set([...video.tags, tag])] });
            }
          }}
        />
      </div>
      <VideoCollections video={video} onChanged={reload} />
      <textarea
        className="input pv-notes"
        placeholder="Notes"
        value={notes}
        rows={2}
        onChange={(e) => setNotes(e.target.value)}
        onBlur={() => notes !== video.notes && void update({ notes })}
      />
    </div>
  );
}
