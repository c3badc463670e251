import { memo } from 'react';
import { DurationBadge, ResolutionBadge, StateBadges, TierBadge } from './Badges';
import { FavouriteToggle, RatingInput } from '../../ui/Rating';
import { curate } from './Curation';
import { formatBytes } from '../../lib/format';
import { itemOption, type ItemProps } from './itemOption';
import { Thumb } from './Thumb';

export const LIST_COLUMNS = 'lib-row-grid';

export const VideoRow = memo(function VideoRow(props: ItemProps) {
  const { item } = props;
  return (
    <div {...itemOption(`lib-row ${LIST_COLUMNS}`, props)}>
      <div className="lib-row-thumb">
        <Thumb item={item} scrub={false} />
      </div>
      <div className="lib-row-title">
        <div className="lib-title">{item.title}</div>
        <div className="muted small ellipsis">{item.fileName}</div>
      </div>
      <div>
        <DurationBadge item={item} />
      </div>
      <div className="row">
        <ResolutionBadge item={item} />
        <span className="muted small">{item.videoCodec ?? item.audioCodec ?? ''}</span>
      </div>
      <div className="row">
        <TierBadge tier={item.tier} />
        <RatingInput rating={item.rating} onRate={(rating) => curate(item.id, { rating })} testId="row-rating" />
        <FavouriteToggle favourite={item.favourite} onToggle={(favourite) => curate(item.id, { favourite })} testId="row-fav" />
        <StateBadges item={item} />
      </div>
      <div className="lib-tags ellipsis">
        {item.tags.map((t) => (
          <span key={t} className="lib-tag">
            {t}
          </span>
        ))}
      </div>
      <div className="muted small right">{formatBytes(item.sizeBytes)}</div>
    </div>
  );
});

export function SkeletonRow() {
  return (
    <div className={`lib-row skeleton ${LIST_COLUMNS}`} aria-hidden>
      <div className="lib-row-thumb">
        <div className="thumb" />
      </div>
      <div className="skeleton-line" />
    </div>
  );
}
