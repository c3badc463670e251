import type { VideoSummary } from '../../../../shared/dto/library';

/** What a grid card and a list row both receive. */
export interface ItemProps {
  item: VideoSummary;
  index: number;
  selected: boolean;
  current: boolean;
  onClick(e: React.MouseEvent, index: number, item: VideoSummary): void;
  onOpen(item: VideoSummary): void;
}

/**
 * The listbox-option attributes a card and a row share: state classes after `className`, the ids the tests and
 * the keyboard selection find items by, click to select and double-click to open.
 */
export function itemOption(className: string, { item, index, selected, current, onClick, onOpen }: ItemProps) {
  return {
    className: `${className}${selected ? ' selected' : ''}${current ? ' current' : ''}${item.missing ? ' missing' : ''}`,
    role: 'option',
    'aria-selected': selected,
    'data-testid': 'lib-item',
    'data-id': item.id,
    onClick: (e: React.MouseEvent) => onClick(e, index, item),
    onDoubleClick: () => onOpen(item),
  } as const;
}
