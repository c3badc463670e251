import { memo } from 'react';
import type { VideoSummary } from '../../../../shared/dto/library';
import { DurationBadge, ResolutionBadge, StateBadges, TierBadge } from './Badges';
import { FavouriteToggle, RatingInput } from '../../ui/Rating';
import { curate } from './Curation';
import { itemOption, type ItemProps } from './itemOption';
import { TagStrip } from './TagStrip';
import { Thumb } from './Thumb';

interface Props extends ItemProps {
  scrub: boolean;
  /** The check mark: select or unselect without opening. */
  onCheck(index: number, item: VideoSummary): void;
}

export const VideoCard = memo(function VideoCard(props: Props) {
  const { item, index, selected, scrub, onCheck } = props;
  return (
    <div {...itemOption('lib-card', props, 'gridcell')}>
      <div className="lib-card-media">
        <Thumb item={item} scrub={scrub} />
        <div className="lib-card-overlay top">
          <ResolutionBadge item={item} />
          <TierBadge tier={item.tier} />
          <FavouriteToggle favourite={item.favourite} onToggle={(favourite) => curate(item.id, { favourite })} className="lib-fav" testId="card-fav" tabIndex={-1} />
        </div>
        <div className="lib-card-overlay bottom">
          <StateBadges item={item} />
          <DurationBadge item={item} />
        </div>
        <button
          type="button"
          className={`lib-check${selected ? ' on' : ''}`}
          aria-label={selected ? 'Unselect' : 'Select'}
          title={selected ? 'Unselect (X)' : 'Select (X); Ctrl-click and Shift-click select too'}
          data-testid="card-check"
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            onCheck(index, item);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          ✓
        </button>
      </div>
      <div className="lib-card-info">
        <div className="lib-title" title={item.fileName}>
          {item.title}
        </div>
        <div className="lib-meta">
          <RatingInput rating={item.rating} onRate={(rating) => curate(item.id, { rating })} testId="card-rating" tabIndex={-1} />
          <TagStrip tags={item.tags} />
        </div>
      </div>
    </div>
  );
});

export function SkeletonCard() {
  return (
    <div className="lib-card skeleton" role="gridcell" aria-busy="true">
      <div className="lib-card-media">
        <div className="thumb" />
      </div>
      <div className="lib-card-info">
        <div className="skeleton-line" />
        <div className="skeleton-line short" />
      </div>
    </div>
  );
}
