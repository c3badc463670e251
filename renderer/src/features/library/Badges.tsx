import type { VideoSummary } from '../../../../shared/dto/library';
import { formatDuration, resolutionBadge } from '../../lib/format';

/** Resolution, codec and state badges shown over a thumbnail or in a list row. */
export function ResolutionBadge({ item }: { item: VideoSummary }) {
  const res = item.kind === 'audio' ? 'audio' : resolutionBadge(item.width, item.height);
  if (!res) return null;
  const hi = res === '4K' || res === '1440p' || res === '1080p';
  return <span className={`lib-badge${hi ? ' lib-badge-hi' : ''}`}>{res}</span>;
}

export function DurationBadge({ item }: { item: VideoSummary }) {
  return <span className="lib-badge lib-badge-dark">{formatDuration(item.durationSec)}</span>;
}

export function TierBadge({ tier }: { tier: VideoSummary['tier'] }) {
  if (tier === 'free') return null;
  return <span className={`lib-badge lib-tier-${tier}`}>{tier === 'premium' ? '♛ premium' : '★ subscriber'}</span>;
}

export function StateBadges({ item }: { item: VideoSummary }) {
  return (
    <>
      {item.missing && (
        <span className="lib-badge lib-badge-bad" title="The file is no longer where it was at the last scan; its tags and notes are kept.">
          missing
        </span>
      )}
      {item.duplicateCount > 0 && (
        <span className="lib-badge lib-badge-warn" title={`${item.duplicateCount} other cop${item.duplicateCount === 1 ? 'y' : 'ies'} with the same content`}>
          dup ×{item.duplicateCount + 1}
        </span>
      )}
    </>
  );
}
