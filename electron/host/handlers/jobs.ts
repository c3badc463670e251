import type { jobsRequests } from '../../../shared/contract/jobs';
import type { JobEngine } from '../../domains/jobs';
import { deleteUserPreset, saveUserPreset } from '../../platform/media/presets';
import { checkMcpPaths, isMcp, requireOwnJob, type McpScope } from './mcpScope';
import type { DomainHandlers } from './types';

export function jobsHandlers(engine: JobEngine, mcp: McpScope): DomainHandlers<typeof jobsRequests> {
  return {
    'jobs.list': async (input, ctx) => {
      const list = await engine.list(input);
      return isMcp(ctx.actor) ? { ...list, jobs: list.jobs.filter((j) => j.queuedBy === 'mcp') } : list;
    },
    'jobs.get': async ({ id }, ctx) => requireOwnJob(await engine.get(id), ctx.actor),
    'jobs.enqueue': (input, ctx) => engine.enqueue(isMcp(ctx.actor) ? { ...input, ...checkMcpPaths(input, mcp) } : input, ctx.actor),
    'jobs.cancel': async ({ id }, ctx) => {
      requireOwnJob(await engine.get(id), ctx.actor);
      return engine.cancel(id);
    },
    'jobs.retry': ({ id }) => engine.retry(id),
    'jobs.move': ({ id, before }) => engine.move(id, before),
    'jobs.clearFinished': () => engine.clearFinished(),
    'jobs.pauseJob': ({ id }) => engine.pauseJob(id),
    'jobs.resumeJob': ({ id }) => engine.resumeJob(id),
    'jobs.pause': () => engine.pause(),
    'jobs.resume': () => engine.resume(),
    'jobs.presets': () => engine.presets(),
    'jobs.savePreset': (input) => {
      saveUserPreset(engine.userPresetDir, input);
      return engine.presets();
    },
    'jobs.deletePreset': ({ name }) => {
      deleteUserPreset(engine.presets(), name);
      return engine.presets();
    },
    'jobs.getSettings': () => engine.getSettings(),
    'jobs.setSettings': (input) => engine.setSettings(input),
  };
}
