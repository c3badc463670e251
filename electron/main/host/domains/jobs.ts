import type { jobsRequests } from '../../../../shared/contract/jobs';
import { JobEngine } from '../../services/jobs';
import type { AvatarService } from '../../services/avatar';
import type { LibraryStore } from '../../services/library';
import type { HostCore } from '../createHost';
import { jobsHandlers } from '../handlers/jobs';
import type { ComposedDomain } from './types';

export function composeJobs(core: HostCore, deps: { library: LibraryStore; avatar: AvatarService }): ComposedDomain<JobEngine, typeof jobsRequests> {
  const engine = new JobEngine({
    db: core.db,
    dataDir: core.dataDir,
    env: core.env,
    settings: core.settings,
    emit: (name, payload) => core.events.emit(name, payload),
    library: deps.library,
    avatar: deps.avatar,
    logError: core.logError,
  });
  return {
    service: engine,
    handlers: jobsHandlers(engine),
    // Recovery and the scheduler run only in the primary process: a second process on the same data dir
    // must never mark the primary's running jobs as interrupted.
    start: () => engine.start(),
    close: () => engine.close(),
  };
}
