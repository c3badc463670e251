import type { CliCommand } from '../command';

/** The `church` commands of the library domain. */
export const libraryCommands: CliCommand[] = [];
