import type { ReactNode } from 'react';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { KillSwitchScreen } from '../features/killswitch/KillSwitchScreen';
import { LabScreen } from '../features/lab/LabScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { MonitorScreen } from '../features/monitor/MonitorScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SubscribersScreen } from '../features/subscribers/SubscribersScreen';
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
  { id: 'library', label: 'Library', icon: '▦', key: '1', render: () => <LibraryScreen /> },
  { id: 'jobs', label: 'Jobs', icon: '⚙', key: '2', render: () => <JobsScreen /> },
  { id: 'monitor', label: 'Monitor', icon: '♨', key: '3', render: () => <MonitorScreen /> },
  { id: 'subscribers', label: 'Subscribers', icon: '♛', key: '4', render: () => <SubscribersScreen /> },
  { id: 'lab', label: 'Lab', icon: '⌬', key: '8', render: () => <LabScreen /> },
  { id: 'killswitch', label: 'Kill switch', icon: '⚠', key: '5', render: () => <KillSwitchScreen /> },
  { id: 'settings', label: 'Settings', icon: '☰', key: '6', render: () => <SettingsScreen /> },
  { id: 'studio', label: 'System', icon: '✦', key: '7', render: () => <SystemScreen /> },
];
