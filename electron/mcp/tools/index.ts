import type { ToolDef } from '../toolkit';
import { labStatusTool } from './labStatus';

/** Every tool the MCP server offers; a domain adds its tools here. */
export const tools: ToolDef[] = [labStatusTool];
