import { lazy, type ReactNode } from 'react';
import { JobsScreen } from '../features/jobs/JobsScreen';
import { KillSwitchScreen } from '../features/killswitch/KillSwitchScreen';
import { LabScreen } from '../features/lab/LabScreen';
import { LibraryScreen } from '../features/library/LibraryScreen';
import { MonitorScreen } from '../features/monitor/MonitorScreen';
// Here, where the Settings screen was imported: the order of imports is the order of the screens' CSS.
import { SettingsPage } from './SettingsPage';
import { SubscribersScreen } from '../features/subscribers/SubscribersScreen';
import { SystemScreen } from '../features/system/SystemScreen';
import { routeList, type RouteId, type RouteInfo } from './routeList';

// The detail pane carries video.js (most of the bundle): loaded on first open, so the grid paints sooner.
const VideoDetail = lazy(() => import('../features/preview/VideoDetail').then((m) => ({ default: m.VideoDetail })));

export interface RouteDef extends RouteInfo {
  render(): ReactNode;
}

/** Each entry's screen (the entries themselves, in order, are in routeList.ts). */
const screens: Record<RouteId, () => ReactNode> = {
  library: () => <LibraryScreen VideoDetail={VideoDetail} />,
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
