import type { jobsRequests } from '../../../../shared/contract/jobs';
import { JobEngine } from '../../services/jobs';
import type { LibraryStore } from '../../services/library';
import type { HostCore } from '../createHost';
import type { ComposedDomain } from './types';

export function composeJobs(_core: HostCore, _deps: { library: LibraryStore }): ComposedDomain<JobEngine, typeof jobsRequests> {
  return { service: new JobEngine(), handlers: {} };
}
