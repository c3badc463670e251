import type { CliCommand } from '../command';
import { killCommand } from './killswitch';
import { mcpCommand } from './mcp';
import { serveCommand } from './serve';
import { auditCommand, doctorCommand } from './system';

/** Every `church` command; a domain adds its commands here. */
export const commands: CliCommand[] = [doctorCommand, serveCommand, auditCommand, killCommand, mcpCommand];
