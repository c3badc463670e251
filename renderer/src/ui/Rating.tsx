import { useState } from 'react';
import './rating.css';

/**
 * Five stars that set the rating of one video: filled up to the rating, empty when unrated (never five gold
 * stars for "no rating"); hovering previews, clicking the current rating clears it.
 */
export function RatingInput({ rating, onRate, size = 'small', testId, starTestId, disabled, tabIndex }: { rating: number; onRate(n: number): void; size?: 'small' | 'large'; testId?: string; starTestId?: string; disabled?: boolean; /** -1 inside a grid item, which is the tab stop. */ tabIndex?: number }) {
  const [hover, setHover] = useState(0);
  const shown = hover || rating;
  return (
    <span className={`rating-input ${size}`} role="group" aria-label={rating ? `Rating: ${rating} of 5` : 'Not rated'} data-testid={testId} data-rating={rating} onMouseLeave={() => setHover(0)}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          className={`rating-star${n <= shown ? ' on' : ''}`}
          title={n === rating ? 'Clear the rating' : `Rate ${n} of 5`}
          aria-pressed={n <= rating}
          disabled={disabled}
          tabIndex={tabIndex}
          data-testid={starTestId ? `${starTestId}-${n}` : undefined}
          onMouseEnter={() => setHover(n)}
          onClick={(e) => {
            e.stopPropagation();
            onRate(n === rating ? 0 : n);
          }}
          onDoubleClick={(e) => e.stopPropagation()}
        >
          {n <= shown ? '★' : '☆'}
        </button>
      ))}
    </span>
  );
}

/** The heart that marks a favourite; a click toggles it. */
export function FavouriteToggle({ favourite, onToggle, testId, className = '', tabIndex }: { favourite: boolean; onToggle(next: boolean): void; testId?: string; className?: string; tabIndex?: number }) {
  return (
    <button
      type="button"
      className={`fav-toggle${favourite ? ' on' : ''} ${className}`}
      aria-pressed={favourite}
      aria-label={favourite ? 'Favourite (click to unmark)' : 'Mark as favourite'}
      title={favourite ? 'Favourite — click to unmark' : 'Mark as favourite'}
      tabIndex={tabIndex}
      data-testid={testId}
      onClick={(e) => {
        e.stopPropagation();
        onToggle(!favourite);
      }}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      {favourite ? '♥' : '♡'}
    </button>
  );
}
