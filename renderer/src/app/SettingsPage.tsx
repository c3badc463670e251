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
      domainSections={[
        { id: 'jobs', label: 'Jobs', node: <JobSettings /> },
        { id: 'monitor', label: 'Monitor and alerts', node: <MonitorSettings /> },
        { id: 'stripe', label: 'Subscribers (Stripe)', node: <StripeSettings /> },
        { id: 'backups', label: 'Backups', node: <BackupSettings /> },
        { id: 'lab', label: 'Lab', node: <LabSettings /> },
      ]}
      shortcuts={<ShortcutTable />}
    />
  );
}
