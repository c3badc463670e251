import { create } from 'zustand';
import { useUnsaved, whenSaved } from './unsaved';

/**
 * Every place has an address in the hash (`#/jobs`, `#/library/video/12`, `#/settings/backups`), so Back and
 * Forward walk the places visited and a reload lands where the owner was. Hash routes work alike in the
 * desktop window (a file or custom-protocol page) and in the browser.
 */
interface NavState {
  /** The screen: the first part of the address. */
  route: string;
  /** The rest of the address within the screen ('' on the screen itself), e.g. 'video/12' or 'backups'. */
  sub: string;
  /** Goes to a place (`jobs`, `library/video/12`) as a new history entry. */
  go(place: string): void;
  /** Changes the address of the current entry (a place refined in passing, not a step the owner took). */
  replace(place: string): void;
  /** Leaves a place the owner reached by `go` (Back), or replaces it with `fallback` when it was the first one. */
  leave(fallback: string): void;
}

interface Place {
  route: string;
  sub: string;
}

export function parsePlace(hash: string): Place {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  const [route = '', ...rest] = path.split('/');
  return { route: route || 'library', sub: rest.join('/') };
}

const placeOf = (p: Place) => (p.sub ? `${p.route}/${p.sub}` : p.route);
const here = () => placeOf(parsePlace(location.hash));

/** Entries this window pushed carry a mark, so leaving one can step Back instead of stacking another entry. */
const PUSHED = 'church.nav';

export const useNav = create<NavState>((set) => ({
  ...parsePlace(location.hash),
  go: (place) => {
    const next = parsePlace(`#/${place}`);
    if (placeOf(next) === here()) return;
    // Unsaved work (cues, a setting) asks first.
    whenSaved(
      () => {
        history.pushState({ [PUSHED]: true }, '', `#/${placeOf(next)}`);
        set(next);
      },
      undefined,
      placeOf(next),
    );
  },
  replace: (place) => {
    const next = parsePlace(`#/${place}`);
    history.replaceState(history.state, '', `#/${placeOf(next)}`);
    set(next);
  },
  leave: (fallback) => {
    const state = history.state as Record<string, unknown> | null;
    if (state?.[PUSHED]) history.back();
    else useNav.getState().replace(fallback);
  },
}));

// The first place has an address too, so Back from the next one returns to a named place.
if (!location.hash) history.replaceState(history.state, '', `#/${placeOf(useNav.getState())}`);

// Back, Forward and an address typed by hand all arrive here. The address has already changed: with unsaved
// work, the place the owner is on is put back as a new entry while the question is asked; Discard then steps Back
// onto the place they were going to (one entry below), Keep editing stays.
const follow = () => {
  const p = parsePlace(location.hash);
  const s = useNav.getState();
  if (p.route === s.route && p.sub === s.sub) return;
  const current = placeOf(s);
  let restored = false;
  whenSaved(
    () => {
      if (restored) history.back();
      else useNav.setState(p);
    },
    () => undefined,
    placeOf(p),
  );
  if (useUnsaved.getState().pending) {
    restored = true;
    history.pushState({ [PUSHED]: true }, '', `#/${current}`);
  }
};
window.addEventListener('popstate', follow);
window.addEventListener('hashchange', follow);
