import type { labRequests } from '../../../../shared/contract/lab';
import { ChurchError } from '../../../../shared/errors';
import { labConfigFromEnv } from '../../services/lab/config';
import type { HostCore } from '../createHost';
import type { DomainHandlers } from './types';

/** The Lab view's calls; the lab code loads only when a lab is configured and a call comes. */
export function labHandlers(core: HostCore): DomainHandlers<typeof labRequests> {
  const lab = () => labConfigFromEnv(core.env);
  return {
    'lab.status': async () => {
      const cfg = lab();
      if (!cfg) return { configured: false, agents: [], queue: { waiting: 0, active: 0 } };
      const { readLabOverview } = await import('../../services/lab/overview');
      return { configured: true, ...(await readLabOverview(cfg)) };
    },
    'lab.pauseAgent': async ({ name, paused }) => {
      const cfg = lab();
      if (!cfg) throw new ChurchError('UNAVAILABLE', 'no lab is configured; start the studio with CHURCH_LAB_URL and CHURCH_LAB_SECRET_FILE (or --lab URL --lab-secret-file FILE)');
      const { sendControl } = await import('../../services/lab/control');
      await sendControl(cfg, { type: 'pause-agent', agent: name, paused });
      return { sent: true as const };
    },
  };
}
