import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ContractClient } from '../../shared/contract/client';
import type { McpConfig } from '../../shared/contract/mcp';
import { ChurchError } from '../../shared/errors';
import { createRateLimiter } from './rateLimiter';
import { listStudioResources, readStudioResource, RESOURCE_TEMPLATES } from './resources';
import { makeToolContext, type ToolContext, type ToolDef } from './toolkit';

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

function describeTool(tool: ToolDef): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: 'input' }) as Tool['inputSchema'],
    outputSchema: z.toJSONSchema(tool.output, { io: 'output' }) as Tool['outputSchema'],
    annotations: {
      title: tool.title,
      readOnlyHint: tool.readOnly,
      // Both hints only mean something for a tool that changes things (the spec's defaults are for writers).
      ...(tool.readOnly ? {} : { destructiveHint: tool.destructive === true, idempotentHint: tool.idempotent === true }),
      openWorldHint: false,
    },
  };
}

type ProgressToken = string | number;

/**
 * The studio as an MCP server. The low-level server is used on purpose: every call — unknown tool, bad arguments,
 * rate-limited or run — passes through one handler, so each is validated (strict zod schemas), limited, run through
 * the contract and recorded in the audit log with its arguments (secrets redacted), result and duration. Results
 * come back as structuredContent (checked against the tool's outputSchema) and as JSON text for older clients.
 */
export function createMcpServer(opts: { studio: ContractClient; tools: ToolDef[]; config: McpConfig; version: string; log?: (msg: string) => void }): Server {
  const server = new Server({ name: 'bambisleep-church-studio', version: opts.version }, { capabilities: { tools: {}, resources: {} } });
  const limiter = createRateLimiter(opts.config);
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const audit = async (action: string, input: unknown, ok: boolean, errorCode: string | null, started: number) => {
    const r = await opts.studio.invoke('audit.append', { action, input, ok, errorCode, durationMs: Math.round(performance.now() - started) });
    if (!r.ok) opts.log?.(`audit write failed for ${action}: ${r.error.message}`);
  };

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: opts.tools.map(describeTool) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
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
        const token = request.params._meta?.progressToken as ProgressToken | undefined;
        let last = -Infinity;
        const progress: ToolContext['progress'] = async (value, total, message) => {
          // The spec wants progress to grow with every notification; repeats and regressions are dropped.
          if (token === undefined || !(value > last)) return;
          last = value;
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: value, total, message } });
        };
        try {
          const value = await tool.run(parsed.data, makeToolContext(opts.studio, { signal: extra.signal, progress }));
          result = { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
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
    await audit(`mcp.${tool ? name : 'unknown-tool'}`, tool ? args : { name: name.slice(0, 80), arguments: args }, !result.isError, errorCode, started);
    return result;
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await listStudioResources(makeToolContext(opts.studio)) }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const started = performance.now();
    const { uri } = request.params;
    try {
      const contents = await readStudioResource(uri, makeToolContext(opts.studio));
      await audit('mcp.resource', { uri }, true, null, started);
      return { contents: [contents] };
    } catch (e) {
      const code = e instanceof ChurchError ? e.code : 'INTERNAL';
      await audit('mcp.resource', { uri }, false, code, started);
      // Resource reads have no error result: a JSON-RPC error carries the message.
      throw new Error(e instanceof ChurchError ? e.message : `reading ${uri.slice(0, 200)} failed unexpectedly; the studio log has the details`);
    }
  });
  return server;
}
