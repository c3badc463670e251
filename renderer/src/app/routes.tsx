import type { ReactNode } from 'react';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { KillSwitchScreen } from '../features/killswitch/KillSwitchScreen';
import { LabScreen } from '../features/lab/LabScreen';
// Here, where the Library screen was imported: the order of imports is the order of the screens' CSS.
import { LibraryPage } from './LibraryPage';
import { MonitorScreen } from '../features/monitor/MonitorScreen';
// Here, where the Settings screen was imported (see above).
import { SettingsPage } from './SettingsPage';
import { SubscribersScreen } from '../features/subscribers/SubscribersScreen';
import { SystemScreen } from '../features/system/SystemScreen';
import { routeList, type RouteId, type RouteInfo } from './routeList';

export interface RouteDef extends RouteInfo {
  render(): ReactNode;
}

/** Each entry's screen (the entries themselves, in order, are in routeList.ts). */
const screens: Record<RouteId, () => ReactNode> = {
  library: () => <LibraryPage />,
  jobs: () => <JobsScreen />,
  monitor: () => <MonitorScreen />,
  subscribers: () => <SubscribersScreen />,
  lab: () => <LabScreen />,
  killswitch: () => <KillSwitchScreen />,
  settings: () => <SettingsPage />,
  studio: () => <SystemScreen />,
};

/** The sidebar, in order, with each screen. */
export const routes: RouteDef[] = routeList.map((r) => ({ ...r, render: screens[r.id] }));
