import type { CliCommand } from '../command';
import { killCommand } from './killswitch';
import { mcpCommand } from './mcp';
import { serveCommand } from './serve';
import { auditCommand, doctorCommand } from './system';
import { libraryCommands } from './library';
import { jobsCommands } from './jobs';
import { monitorCommands } from './monitor';
import { stripeCommands } from './stripe';
import { backupCommands } from './backup';

/** Every `church` command; a domain adds its commands in its own file. */
export const commands: CliCommand[] = [
  doctorCommand,
  serveCommand,
  auditCommand,
  ...libraryCommands,
  ...jobsCommands,
  ...monitorCommands,
  ...stripeCommands,
  ...backupCommands,
  killCommand,
  mcpCommand,
];
