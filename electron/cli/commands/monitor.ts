import type { CliCommand } from '../command';

/** The `church` commands of the monitor domain. */
export const monitorCommands: CliCommand[] = [];
