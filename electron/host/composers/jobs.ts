import type { jobsRequests } from '../../../shared/contract/jobs';
import { JobEngine } from '../../domains/jobs';
import type { AvatarService } from '../../domains/avatar';
import type { LibraryStore } from '../../domains/library';
import type { HostCore } from '../hostCore';
import { jobsHandlers } from '../handlers/jobs';
import { outputsRoot } from '../handlers/mcpScope';
import type { LabService } from '../../domains/lab';
import type { ComposedDomain } from './types';

export function composeJobs(
  core: HostCore,
  deps: { library: LibraryStore; avatar: AvatarService; lab?: LabService },
): ComposedDomain<JobEngine, typeof jobsRequests> {
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
  // Resolved when the host is composed, so a wrong lab URL or secret fails the command at once; the lab itself
  // (BullMQ, Redis) loads only when the engines start, and never without a lab.
  const lab = deps.lab?.resolved.config ?? null;
  let runner: { close(): Promise<void> } | null = null;
  let closed = false;
  return {
    service: engine,
    handlers: jobsHandlers(engine, { allowedRoots: () => [outputsRoot(core.dataDir), ...deps.library.roots().map((r) => r.path)] }),
    // Recovery and the scheduler run only in the primary process: a second process on the same data dir
    // must never mark the primary's running jobs as interrupted.
    start: () => {
      if (!lab) return engine.start();
      const offlineMs = deps.lab?.offlineMs() ?? 0;
      const [bindHost, port] = (core.env.CHURCH_LAB_LISTEN ?? '0.0.0.0:0').split(/:(?=\d+$)/);
      // The lab's index is imported only here, when a lab is configured: it brings bullmq and ioredis.
      void import('../../domains/lab')
        .then(({ openLabExecutor }) => openLabExecutor({
          lab,
          transfer: { bindHost: bindHost || '0.0.0.0', port: Number(port ?? 0), ...(core.env.CHURCH_LAB_ADVERTISE ? { advertiseHost: core.env.CHURCH_LAB_ADVERTISE } : {}) },
          logError: core.logError,
          // The "host offline" alert is the monitor's; both read the one lab setting (Settings → Lab), so they agree.
          ...(offlineMs ? { agentStaleMs: offlineMs } : {}),
        }))
        .then(async (r) => {
          if (closed) return r.close();
          runner = r;
          // Started only now, so no job that belongs to the lab is run here while it connects.
          engine.registerExecutor(r);
          engine.start();
        })
        .catch((e: unknown) => {
          core.logError('the lab could not be started; jobs run on this machine', e);
          if (!closed) engine.start();
        });
    },
    close: async () => {
      closed = true;
      await engine.close();
      await runner?.close();
    },
  };
}
