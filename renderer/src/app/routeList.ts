/**
 * The sidebar's entries, without their screens: the shortcut list (shown inside a screen) reads them, so it must
 * not import the screens (routes.tsx), which would make a loop.
 */
export interface RouteInfo {
  id: RouteId;
  label: string;
  /** A single glyph for the sidebar. */
  icon: string;
  /** Keyboard shortcut: Ctrl/Cmd + this key. */
  key: string;
}

export type RouteId = 'library' | 'jobs' | 'monitor' | 'subscribers' | 'lab' | 'killswitch' | 'settings' | 'studio';

/** The sidebar, in order. A feature adds its entry here and its screen in routes.tsx. */
export const routeList: RouteInfo[] = [
  { id: 'library', label: 'Library', icon: '▦', key: '1' },
  { id: 'jobs', label: 'Jobs', icon: '⚙', key: '2' },
  { id: 'monitor', label: 'Monitor', icon: '♨', key: '3' },
  { id: 'subscribers', label: 'Subscribers', icon: '♛', key: '4' },
  { id: 'lab', label: 'Lab', icon: '⌬', key: '8' },
  { id: 'killswitch', label: 'Kill switch', icon: '⚠', key: '5' },
  { id: 'settings', label: 'Settings', icon: '☰', key: '6' },
  { id: 'studio', label: 'System', icon: '✦', key: '7' },
];
