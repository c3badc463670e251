import { memo } from 'react';
import { DurationBadge, ResolutionBadge, StateBadges, TierBadge } from './Badges';
import { FavouriteToggle, RatingInput } from '../../ui/Rating';
import { curate } from './Curation';
import { formatBytes } from '../../lib/format';
import { itemOption, type ItemProps } from './itemOption';
import { TagStrip } from './TagStrip';
import { Thumb } from './Thumb';

export const LIST_COLUMNS = 'lib-row-grid';

export const VideoRow = memo(function VideoRow(props: ItemProps) {
  const { item } = props;
  return (
    <div {...itemOption(`lib-row ${LIST_COLUMNS}`, props, 'row')}>
      <div className="lib-row-thumb" role="gridcell">
        <Thumb item={item} scrub={false} />
      </div>
      <div className="lib-row-title" role="gridcell">
        <div className="lib-title">{item.title}</div>
        <div className="muted small ellipsis">{item.fileName}</div>
      </div>
      <div role="gridcell">
        <DurationBadge item={item} />
      </div>
      <div className="row" role="gridcell">
        <ResolutionBadge item={item} />
        <span className="muted small">{item.videoCodec ?? item.audioCodec ?? ''}</span>
      </div>
      <div className="row" role="gridcell">
        <TierBadge tier={item.tier} />
        <RatingInput rating={item.rating} onRate={(rating) => curate(item.id, { rating })} testId="row-rating" tabIndex={-1} />
        <FavouriteToggle favourite={item.favourite} onToggle={(favourite) => curate(item.id, { favourite })} testId="row-fav" tabIndex={-1} />
        <StateBadges item={item} />
      </div>
      <div role="gridcell" className="lib-tags-cell">
        <TagStrip tags={item.tags} />
      </div>
      <div className="muted small right" role="gridcell">
        {formatBytes(item.sizeBytes)}
      </div>
    </div>
  );
});

export function SkeletonRow() {
  return (
    <div className={`lib-row skeleton ${LIST_COLUMNS}`} role="row" aria-busy="true">
      <div className="lib-row-thumb">
        <div className="thumb" />
      </div>
      <div className="skeleton-line" />
    </div>
  );
}
