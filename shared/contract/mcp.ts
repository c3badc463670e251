import { z } from 'zod';
import { MCP_ONLY, OWNER, OWNER_AND_MCP, request } from './define';

/** Calls per minute each MCP tool may take; tools not listed use `defaultPerMinute`. */
export const mcpConfigSchema = z
  .object({
    defaultPerMinute: z.number().int().min(1).max(10_000),
    perMinute: z.record(z.string().regex(/^[a-z_]{1,64}$/), z.number().int().min(0).max(10_000)),
  })
  .strict();

export type McpConfig = z.infer<typeof mcpConfigSchema>;

// Queue-filling tools are held tighter by default, so a looping agent cannot flood the job queue.
export const DEFAULT_MCP_CONFIG: McpConfig = {
  defaultPerMinute: 120,
  perMinute: { transcode: 10, thumbnail: 20, hls_package: 10, avatar_cue: 240 },
};

export const mcpRequests = {
  'mcp.getConfig': request<McpConfig>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'Rate limits of the MCP server tools.',
  }),
  'mcp.setConfig': request<McpConfig>()({
    actors: OWNER,
    input: mcpConfigSchema,
    description: 'Changes the MCP tools rate limits (applies to MCP servers started afterwards).',
    mutates: true,
  }),
  'audit.append': request<null>()({
    actors: MCP_ONLY,
    input: z
      .object({
        action: z.string().min(1).max(120),
        input: z.unknown(),
        ok: z.boolean(),
        errorCode: z.string().max(40).nullable(),
        durationMs: z.number().min(0).max(86_400_000),
      })
      .strict(),
    description: 'Records one MCP tool invocation in the audit log (MCP clients only).',
  }),
};
