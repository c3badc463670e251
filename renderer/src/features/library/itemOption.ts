import type { VideoSummary } from '../../../../shared/dto/library';

/** What a grid card and a list row both receive. */
export interface ItemProps {
  item: VideoSummary;
  index: number;
  selected: boolean;
  current: boolean;
  /** The grid's one tab stop (roving tabindex): the current item, or the first in view when there is none. */
  tabStop: boolean;
  onClick(e: React.MouseEvent, index: number, item: VideoSummary): void;
  onOpen(item: VideoSummary): void;
  /** Focus reached the item (Tab, a click): it becomes the current one, so the arrows go on from it. */
  onFocusItem(index: number): void;
}

/**
 * The attributes a card and a row share: state classes after `className`, the ids the tests and the keyboard
 * selection find items by, click to select and double-click to open, and the roving tab stop (only one item of
 * the grid is in the Tab order; its controls are reached by pointer, the keys act on the item). The results are a
 * grid, not a listbox: an item holds its own buttons (check mark, stars, heart), and an option may not contain
 * controls. A card is a selectable cell of a visual row; a list row is a selectable row of cells.
 */
export function itemOption(className: string, { item, index, selected, current, tabStop, onClick, onOpen, onFocusItem }: ItemProps, role: 'gridcell' | 'row') {
  return {
    className: `${className}${selected ? ' selected' : ''}${current ? ' current' : ''}${item.missing ? ' missing' : ''}`,
    role,
    'aria-selected': selected,
    'data-testid': 'lib-item',
    'data-id': item.id,
    'data-index': index,
    tabIndex: tabStop ? 0 : -1,
    onFocus: (e: React.FocusEvent) => {
      if (e.target === e.currentTarget) onFocusItem(index);
    },
    onClick: (e: React.MouseEvent) => onClick(e, index, item),
    onDoubleClick: () => onOpen(item),
  } as const;
}
