import { DEFAULT_MCP_CONFIG, mcpConfigSchema, type mcpRequests } from '../../../shared/contract/mcp';
import { ChurchError } from '../../../shared/errors';
import type { HostCore } from '../hostCore';
import type { DomainHandlers } from './types';

export function mcpHandlers(core: HostCore): DomainHandlers<typeof mcpRequests> {
  return {
    'mcp.getConfig': () => core.settings.get('mcp', mcpConfigSchema, DEFAULT_MCP_CONFIG),
    'mcp.setConfig': (config) => core.settings.set('mcp', mcpConfigSchema, config),
    'audit.append': (entry, ctx) => {
      // Only the MCP server records its own tool calls; nobody can write entries in another actor's name.
      if (ctx.actor !== 'mcp') throw new ChurchError('FORBIDDEN', 'only the MCP server appends its tool calls to the audit log');
      core.audit.write({ actor: ctx.actor, action: entry.action, input: entry.input, ok: entry.ok, errorCode: entry.errorCode, durationMs: entry.durationMs });
      return null;
    },
  };
}
