import type { CliCommand } from '../command';

/** The `church` commands of the jobs domain. */
export const jobsCommands: CliCommand[] = [];
