import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpConfig } from '../../shared/contract/mcp';
import { ChurchError } from '../../shared/errors';
import type { StudioClient } from '../cli/command';
import { createRateLimiter } from './rateLimiter';
import { makeToolContext, type ToolDef } from './toolkit';

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

function describeTool(tool: ToolDef): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: 'input' }) as Tool['inputSchema'],
    annotations: { title: tool.title, readOnlyHint: tool.readOnly, openWorldHint: false },
  };
}

/**
 * The studio as an MCP server. The low-level server is used on purpose: every call — unknown tool, bad arguments,
 * rate-limited or run — passes through one handler, so each is validated (strict zod schemas), limited, run through
 * the contract and recorded in the audit log with its arguments (secrets redacted), result and duration.
 */
export function createMcpServer(opts: { studio: StudioClient; tools: ToolDef[]; config: McpConfig; version: string; log?: (msg: string) => void }): Server {
  const server = new Server({ name: 'bambisleep-church-studio', version: opts.version }, { capabilities: { tools: {} } });
  const limiter = createRateLimiter(opts.config);
  const ctx = makeToolContext(opts.studio);
  const byName = new Map(opts.tools.map((t) => [t.name, t]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: opts.tools.map(describeTool) }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const started = performance.now();
    const { name } = request.params;
    const args: unknown = request.params.arguments ?? {};
    const tool = byName.get(name);
    let result: CallToolResult;
    let errorCode: string | null = null;
    const allowed = limiter.take(tool ? name : '(unknown)');
    if (!tool) {
      errorCode = 'UNKNOWN_CHANNEL';
      result = errorResult(`there is no tool named "${name.slice(0, 80)}"; list the tools to see what the studio offers`);
    } else if (!allowed.ok) {
      errorCode = 'RATE_LIMITED';
      result = errorResult(`${name} is limited to ${allowed.limit} calls a minute; try again in ${Math.ceil(allowed.retryAfterMs / 1000)} s`);
    } else {
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) {
        errorCode = 'INVALID_INPUT';
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
        result = errorResult(`invalid arguments for ${name}: ${issues.join('; ')}`);
      } else {
        try {
          const value = await tool.run(parsed.data, ctx);
          result = { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
        } catch (e) {
          if (e instanceof ChurchError) {
            errorCode = e.code;
            result = errorResult(e.message);
          } else {
            errorCode = 'INTERNAL';
            opts.log?.(`tool ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            result = errorResult(`${name} failed unexpectedly; the studio log has the details`);
          }
        }
      }
    }
    const audit = await opts.studio.dispatch('audit.append', {
      action: `mcp.${tool ? name : 'unknown-tool'}`,
      input: tool ? args : { name: name.slice(0, 80), arguments: args },
      ok: !result.isError,
      errorCode,
      durationMs: Math.round(performance.now() - started),
    });
    if (!audit.ok) opts.log?.(`audit write failed for ${name}: ${audit.error.message}`);
    return result;
  });
  return server;
}
