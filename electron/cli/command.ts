import type { ParseArgsConfig } from 'node:util';
import type { ContractClient } from '../../shared/contract/client';
import type { Host, HostOptions } from '../host/createHost';

/**
 * The studio as the CLI and MCP see it: the contract client of the running app when one is open on this data dir
 * (so there is one job engine and the window shows what they do), else of the services opened in this process.
 */
export interface StudioClient extends ContractClient {
  /** True when attached to a running studio; false when this process runs the services itself. */
  readonly remote: boolean;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  dataDir: string;
  json: boolean;
  /** The composed services in this process, opened on first use (some commands never need the database). */
  host(): Promise<Host>;
  /** What `host()` composes with, for a command that composes (and re-composes) its own (serve). */
  hostOptions: HostOptions;
  /** Starts the engines of a 'when-ready' command's own services (none when attached to a running studio). */
  startEngines(): Promise<void>;
  /** This process's services through the contract, never the running studio's (doctor checks this machine). */
  local(actor?: 'cli' | 'mcp'): ContractClient;
  /** The running studio if there is one, else this process's services; calls go through the contract. */
  client(actor?: 'cli' | 'mcp'): Promise<StudioClient>;
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
  /**
   * Start the engines (job scheduler, monitor sampler) in this process when no studio is running: true for
   * long-running commands (serve, a transcode that waits for its job); one-shot reads leave it off.
   * 'when-ready': a long-running command that answers before its engines start (mcp): it calls ctx.startEngines().
   */
  engines?: boolean | 'when-ready';
  /** Check the database before the command runs: 'full' = PRAGMA quick_check always (doctor); the engines' commands run the start check. */
  checkDatabase?: boolean | 'full';
  /** Resolves to the exit code; throws a ChurchError (or any Error) for a one-line failure. */
  run(ctx: CliContext, args: ParsedArgs): Promise<number>;
}
