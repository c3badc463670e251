import type { labRequests } from '../../../shared/contract/lab';
import { createLabService, type LabService } from '../../domains/lab/labService';
import type { HostSampleSink } from '../../domains/lab/nodeExporter/NodeExporterScraper';
import type { HostCore } from '../hostCore';
import { labHandlers } from '../handlers/lab';
import type { ComposedDomain } from './types';

/** The lab: resolved first (the jobs and the kill switch take it from here), scraping only in the primary process. */
export function composeLab(core: HostCore, opts: { sink?: HostSampleSink } = {}): ComposedDomain<LabService, typeof labRequests> {
  const service = createLabService({ env: core.env, settings: core.settings, secrets: core.secrets, logError: core.logError, ...(opts.sink ? { sink: opts.sink } : {}) });
  return {
    service,
    handlers: labHandlers(service),
    start: () => service.start(),
    close: () => service.close(),
  };
}
