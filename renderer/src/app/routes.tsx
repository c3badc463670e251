import type { ReactNode } from 'react';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { KillSwitchScreen } from '../features/killswitch/KillSwitchScreen';
import { LabScreen } from '../features/lab/LabScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { MonitorScreen } from '../features/monitor/MonitorScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { SubscribersScreen } from '../features/subscribers/SubscribersScreen';
import { SystemScreen } from '../features/system/SystemScreen';
import { routeList, type RouteId, type RouteInfo } from './routeList';

export interface RouteDef extends RouteInfo {
  render(): ReactNode;
}

/** Each entry's screen (the entries themselves, in order, are in routeList.ts). */
const screens: Record<RouteId, () => ReactNode> = {
  library: () => <LibraryScreen />,
  jobs: () => <JobsScreen />,
  monitor: () => <MonitorScreen />,
  subscribers: () => <SubscribersScreen />,
  lab: () => <LabScreen />,
  killswitch: () => <KillSwitchScreen />,
  settings: () => <SettingsScreen />,
  studio: () => <SystemScreen />,
};

/** The sidebar, in order, with each screen. */
export const routes: RouteDef[] = routeList.map((r) => ({ ...r, render: screens[r.id] }));
