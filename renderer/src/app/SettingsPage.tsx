import { BackupSettings } from '../features/backup/BackupSettings';
import { JobSettings } from '../features/jobs/JobSettings';
import { LabSettings } from '../features/lab/LabSettings';
import { MonitorSettings } from '../features/monitor/MonitorSettings';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { StripeSettings } from '../features/subscribers/StripeSettings';
import { ShortcutTable } from './ShortcutsOverlay';

/** The Settings screen with each domain's section, in the order the owner reads them. */
export function SettingsPage() {
  return (
    <SettingsScreen
      domainSections={
        <>
          <JobSettings />
          <MonitorSettings />
          <StripeSettings />
          <BackupSettings />
          <LabSettings />
        </>
      }
      shortcuts={<ShortcutTable />}
    />
  );
}
