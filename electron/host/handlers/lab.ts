import type { labRequests } from '../../../shared/contract/lab';
import { ChurchError } from '../../../shared/errors';
import { loadLabControl, type LabService } from '../../domains/lab';
import type { DomainHandlers } from './types';

/** The Lab view's and Settings' calls; the Redis code loads only when a lab is configured and a call comes. */
export function labHandlers(lab: LabService): DomainHandlers<typeof labRequests> {
  return {
    'lab.status': async () => {
      // A process that does not run the scraper (a one-shot CLI command) scrapes once to answer.
      const targets = lab.scraper.running ? lab.scraper.view() : await lab.scraper.scrapeAll();
      const overview = await lab.readOverview();
      if (!overview) return { configured: false, agents: [], queue: { waiting: 0, active: 0 }, targets };
      return { configured: true, ...overview, targets };
    },
    'lab.pauseAgent': async ({ name, paused }) => {
      const cfg = lab.resolved.config;
      if (!cfg) throw new ChurchError('UNAVAILABLE', 'no lab is configured; turn it on in Settings → Lab (or start the studio with CHURCH_LAB_URL and CHURCH_LAB_SECRET_FILE, or --lab URL --lab-secret-file FILE)');
      const { sendControl } = await loadLabControl();
      await sendControl(cfg, { type: 'pause-agent', agent: name, paused });
      return { sent: true as const };
    },
    'lab.getSettings': () => lab.settingsView(),
    'lab.setSettings': ({ settings }) => lab.saveSettings(settings),
    'lab.setPassword': ({ password }) => lab.setPassword(password),
    // The window and serve apply it in RecoverableStudio (they reopen the host); a process that answers here
    // started on the saved settings, so there is nothing to reopen.
    'lab.apply': () => lab.settingsView(),
  };
}
