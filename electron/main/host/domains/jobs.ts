import type { jobsRequests } from '../../../../shared/contract/jobs';
import { JobEngine } from '../../services/jobs';
import type { AvatarService } from '../../services/avatar';
import type { LibraryStore } from '../../services/library';
import type { HostCore } from '../createHost';
import type { ComposedDomain } from './types';

export function composeJobs(_core: HostCore, _deps: { library: LibraryStore; avatar: AvatarService }): ComposedDomain<JobEngine, typeof jobsRequests> {
  return { service: new JobEngine(), handlers: {} };
}
