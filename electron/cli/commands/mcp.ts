import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { DEFAULT_MCP_CONFIG } from '../../../shared/contract/mcp';
import { appInfo } from '../../host/appInfo';
import { createMcpServer } from '../../mcp/createMcpServer';
import { tools } from '../../mcp/tools';
import type { CliCommand } from '../command';

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'Serve the studio to local LLM agents over the Model Context Protocol (stdio)',
  usage: 'church mcp [--data-dir DIR]',
  // Its tool list answers first; the job engine and the monitor start right after (a cold start that reads as one).
  engines: 'when-ready',
  async run(ctx) {
    // stdout is the protocol channel from here on: everything else goes to stderr.
    const studio = await ctx.client('mcp');
    const cfg = await studio.invoke('mcp.getConfig', {});
    const config = cfg.ok ? cfg.value : DEFAULT_MCP_CONFIG;
    const server = createMcpServer({ studio, tools, config, version: appInfo().version, log: (m) => ctx.stderr.write(`church mcp: ${m}\n`) });
    const transport = new StdioServerTransport();
    await server.connect(transport);
    // Requests that arrive meanwhile compose what they need; a job queued now runs once the engine is up.
    ctx.startEngines().catch((e: unknown) => ctx.stderr.write(`church mcp: the studio's engines did not start: ${e instanceof Error ? e.message : String(e)}\n`));
    ctx.stderr.write(`church mcp: serving ${tools.length} tools (${studio.remote ? 'attached to the running studio' : 'own services'}; data dir ${ctx.dataDir})\n`);
    await new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    await server.close();
    return 0;
  },
};
