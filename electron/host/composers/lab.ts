import type { labRequests } from '../../../shared/contract/lab';
import { createLabService, type LabService } from '../../domains/lab';
import type { HostCore } from '../hostCore';
import { labHandlers } from '../handlers/lab';
import type { ComposedDomain } from './types';

/**
 * The lab: resolved first (the jobs and the kill switch take it from here), scraping only in the primary process.
 * It plugs into the others through what it offers: a monitor sample source, a kill step, a job runner.
 */
export function composeLab(core: HostCore): ComposedDomain<LabService, typeof labRequests> {
  const service = createLabService({ env: core.env, dataDir: core.dataDir, settings: core.settings, secrets: core.secrets, logError: core.logError });
  return {
    service,
    handlers: labHandlers(service),
    start: () => service.start(),
    close: () => service.close(),
  };
}
