import { useEffect, useRef } from 'react';
import { useNav } from '../../lib/stores/nav';
import { useLibrary } from './store';

const VIDEO_PLACE = /^video\/(\d+)$/;

/**
 * The video page has an address, `#/library/video/ID`: opening it is a step Back undoes, Forward and a reload
 * reopen it, and `#/library` is the grid. The address leads; the library store follows it, and a page the owner
 * opens or closes here is written back as a step.
 */
export function useVideoPageAddress(): void {
  const route = useNav((s) => s.route);
  const sub = useNav((s) => s.sub);
  const pageId = useLibrary((s) => s.pageId);

  useEffect(() => {
    if (route !== 'library') return;
    const m = VIDEO_PLACE.exec(sub);
    const wanted = m ? Number(m[1]) : null;
    const lib = useLibrary.getState();
    if (wanted === lib.pageId) return;
    if (wanted === null) lib.closePage();
    else lib.openPage(wanted);
  }, [route, sub]);

  const seen = useRef(pageId);
  useEffect(() => {
    if (seen.current === pageId) return;
    seen.current = pageId;
    const nav = useNav.getState();
    const shown = VIDEO_PLACE.exec(nav.sub)?.[1];
    if (pageId !== null && String(pageId) !== shown) nav.go(`library/video/${pageId}`);
    else if (pageId === null && shown !== undefined) nav.leave('library');
  }, [pageId]);
}
