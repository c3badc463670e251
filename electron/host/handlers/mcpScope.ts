import { isAbsolute, join } from 'node:path';
import type { Job } from '../../../shared/dto/jobs';
import { ChurchError } from '../../../shared/errors';
import { checkAllowedPath } from '../../platform/fs';
import type { Actor } from './types';

/**
 * What an MCP client may touch beyond the capability table: the contract lets it queue, read and cancel jobs,
 * and these rules narrow that to its own jobs and to paths inside the library roots and the studio's outputs
 * folder. They hold at the host, so a client that skips the MCP tools and calls over the WebSocket with the MCP
 * token meets the same limits.
 */
export interface McpScope {
  /** Folders an MCP client may write to or read from: the outputs folder and every library root. */
  allowedRoots(): string[];
}

export const isMcp = (actor: Actor): boolean => actor === 'mcp';

/** An output folder, and every parameter that names a file, must lie inside the allowed folders. */
export function checkMcpPaths(input: { outDir?: string; params?: Record<string, unknown> }, scope: McpScope): { outDir?: string } {
  const roots = scope.allowedRoots();
  const outDir = input.outDir === undefined ? undefined : checkAllowedPath(input.outDir, roots);
  for (const [key, value] of Object.entries(input.params ?? {})) {
    if (typeof value !== 'string' || !looksLikePath(value)) continue;
    try {
      checkAllowedPath(value, roots);
    } catch (e) {
      if (e instanceof ChurchError) throw new ChurchError('FORBIDDEN', `params.${key}: ${e.message}`);
      throw e;
    }
  }
  return outDir === undefined ? {} : { outDir };
}

function looksLikePath(v: string): boolean {
  return isAbsolute(v) || v.includes('/') || v.includes('\\') || v.startsWith('~') || v.startsWith('.');
}

/** An MCP client sees only the jobs it queued; to it, another's job does not exist. */
export function requireOwnJob(job: Job, actor: Actor): Job {
  if (isMcp(actor) && job.queuedBy !== 'mcp') throw new ChurchError('NOT_FOUND', `there is no job ${job.id} among the jobs this MCP client queued`);
  return job;
}

export function outputsRoot(dataDir: string): string {
  return join(dataDir, 'outputs');
}
