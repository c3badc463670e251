import type { ReactNode } from 'react';
import { KillSwitchScreen } from '../features/killswitch/KillSwitchScreen';
import { SystemScreen } from '../features/system/SystemScreen';

export interface RouteDef {
  id: string;
  label: string;
  /** A single glyph for the sidebar. */
  icon: string;
  /** Keyboard shortcut: Ctrl/Cmd + this key. */
  key: string;
  render(): ReactNode;
}

/** The sidebar, in order. A feature adds its screen here. */
export const routes: RouteDef[] = [
  { id: 'studio', label: 'Studio', icon: '✦', key: '1', render: () => <SystemScreen /> },
  { id: 'killswitch', label: 'Kill switch', icon: '⚠', key: '5', render: () => <KillSwitchScreen /> },
];
