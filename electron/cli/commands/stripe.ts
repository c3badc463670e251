import type { CliCommand } from '../command';

/** The `church` commands of the stripe domain. */
export const stripeCommands: CliCommand[] = [];
