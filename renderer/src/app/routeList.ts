/**
 * The sidebar's entries, without their screens: the shortcut list (shown inside a screen) reads them, so it must
 * not import the screens (routes.tsx), which would make a loop.
 */
export interface RouteInfo {
  id: RouteId;
  label: string;
  /** A single glyph for the sidebar. */
  icon: string;
  /** The screen's number: its place in the sidebar and its shortcut (Ctrl/Cmd+n in the window, Alt+Shift+n in a browser). */
  key: string;
}

export type RouteId = 'library' | 'jobs' | 'monitor' | 'subscribers' | 'lab' | 'killswitch' | 'settings' | 'studio';

/** The sidebar, in order; the numbers follow the order. A feature adds its entry here and its screen in routes.tsx. */
export const routeList: RouteInfo[] = [
  { id: 'library', label: 'Library', icon: '▦', key: '1' },
  { id: 'jobs', label: 'Jobs', icon: '⚙', key: '2' },
  { id: 'monitor', label: 'Monitor', icon: '♨', key: '3' },
  { id: 'subscribers', label: 'Subscribers', icon: '♛', key: '4' },
  { id: 'lab', label: 'Lab', icon: '⌬', key: '5' },
  { id: 'killswitch', label: 'Kill switch', icon: '⚠', key: '6' },
  { id: 'settings', label: 'Settings', icon: '☰', key: '7' },
  { id: 'studio', label: 'System', icon: '✦', key: '8' },
];
