import type { ToolDef } from '../toolkit';
import { avatarCueTool, avatarExpressionsTool, avatarStateTool, avatarTrackSaveTool } from './avatar';
import { hlsPackageTool, jobCancelTool, jobStatusTool, thumbnailTool, transcodeTool } from './jobs';
import { labStatusTool } from './labStatus';
import { librarySearchTool, videoInfoTool } from './library';
import { subscriberSummaryTool } from './subscribers';

/** Every tool the MCP server offers; a domain adds its tools here. */
export const tools: ToolDef[] = [
  librarySearchTool,
  videoInfoTool,
  transcodeTool,
  thumbnailTool,
  hlsPackageTool,
  jobStatusTool,
  jobCancelTool,
  avatarCueTool,
  avatarExpressionsTool,
  avatarStateTool,
  avatarTrackSaveTool,
  subscriberSummaryTool,
  labStatusTool,
];
