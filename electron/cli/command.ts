import type { ParseArgsConfig } from 'node:util';
import type { Host } from '../main/host/createHost';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  dataDir: string;
  json: boolean;
  /** The composed services, opened on first use (some commands never need the database). */
  host(): Host;
  /** Prints data: JSON with --json, else the human rendering. */
  print(data: unknown, human: () => string): void;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options?: OptionSpec;
  /** Resolves to the exit code; throws a ChurchError (or any Error) for a one-line failure. */
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}

/** Unwraps a dispatcher result for the CLI: the value, or a thrown error carrying the typed message. */
export { unwrap } from './unwrap';
