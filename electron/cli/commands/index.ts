import type { CliCommand } from '../command';

/**
 * Every `church` command, as a table the CLI reads without loading any domain: `church --help` and the choice of
 * command cost nothing, and only the chosen command's module (and what it imports) is loaded. A domain adds a
 * row per command and a loader that imports its file; the summary here is what `church --help` shows and must
 * match the command's own (tests/foundation/cliGlobals.test.ts checks that).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CliCommand[]>;
}

const system = () => import('./system').then((m) => [m.doctorCommand]);
const audit = () => import('./audit').then((m) => [m.auditCommand]);
const serve = () => import('./serve').then((m) => [m.serveCommand]);
const library = () => import('./library').then((m) => m.libraryCommands);
const jobs = () => import('./jobs').then((m) => m.jobsCommands);
const monitor = () => import('./monitor').then((m) => m.monitorCommands);
const stripe = () => import('./stripe').then((m) => m.stripeCommands);
const kill = () => import('./killswitch').then((m) => [m.killCommand]);
const mcp = () => import('./mcp').then((m) => [m.mcpCommand]);
const lab = () => import('./lab').then((m) => m.labCommands);
const backup = () => import('./backup').then((m) => m.backupCommands);
const config = () => import('./config').then((m) => m.configCommands);
// The completion script lists every command and its options: it is handed the table rather than importing it.
const completion = () =>
  import('./completion').then((m) => [m.makeCompletionCommand({ entries: commandTable, load: (name) => loadCommand(commandTable.find((c) => c.name === name)!) })]);

export const commandTable: CommandEntry[] = [
  { name: 'doctor', summary: 'Check ffmpeg/ffprobe, encoders, the data dir and the database', load: system },
  { name: 'serve', summary: 'Run the studio in a browser: the UI and the contract on 127.0.0.1 only', load: serve },
  { name: 'audit', summary: 'Show the newest entries of the audit log', load: audit },
  { name: 'import', summary: 'Import video files and folders (recursive) into the library', load: library },
  { name: 'scan', summary: 'Rescan the library folders: new, changed, moved and missing files', load: library },
  { name: 'list', summary: 'List library items with filters and sort', load: library },
  { name: 'search', summary: 'Full-text search over titles, file names, tags, collections and notes', load: library },
  { name: 'show', summary: 'Show one item: file, streams, curation, duplicates and outputs', load: library },
  { name: 'tag', summary: 'Add tags to an item (or several: --ids 1,2,3)', load: library },
  { name: 'untag', summary: 'Remove tags from an item (or several: --ids 1,2,3)', load: library },
  { name: 'rate', summary: 'Rate an item 0–5 (0 clears the rating)', load: library },
  { name: 'fav', summary: 'Mark an item as a favourite (--off unmarks it)', load: library },
  { name: 'duplicates', summary: 'Groups of items with the same content (fingerprint)', load: library },
  { name: 'transcode', summary: 'Queue a job: a library video through a preset (church presets lists them)', load: jobs },
  { name: 'jobs', summary: 'The job queue: active jobs first, then the newest others', load: jobs },
  { name: 'job', summary: 'One job: plan, ffmpeg arguments, timings, exit status and the tail of its log', load: jobs },
  { name: 'cancel', summary: 'Cancel a queued, running, paused or interrupted job (nothing half-written stays)', load: jobs },
  { name: 'retry', summary: 'Queue a failed, cancelled or interrupted job again', load: jobs },
  { name: 'presets', summary: 'Built-in and user presets (JSON files you can copy into the data dir and edit)', load: jobs },
  {
    name: 'monitor',
    summary: 'Show the lab hardware live (temperatures, load, memory, disks, network, GPUs), or one sample with --once',
    load: monitor,
  },
  { name: 'stripe', summary: 'Stripe: sync the local copy (restricted key in STRIPE_API_KEY), status, metrics, webhook endpoint', load: stripe },
  { name: 'subscribers', summary: 'Subscribers from the local Stripe copy (works offline): filter, search, sort, CSV', load: stripe },
  { name: 'metrics', summary: 'Business metrics from the local Stripe copy: MRR, ARR, churn, ARPU, renewals (money in minor units with --json)', load: stripe },
  { name: 'agent', summary: 'Run this host as a lab agent: take transcodes from the lab\'s Redis and report this host', load: lab },
  { name: 'agent-key', summary: 'Make one lab agent\'s key file from the lab secret (the agent then holds its own key, not the secret)', load: lab },
  { name: 'lab', summary: 'The lab: every agent with its state, encoders and load, the transcode queue, and the node_exporter targets', load: lab },
  { name: 'backup', summary: 'Take a verified snapshot of the studio now (--restic: also copy it to the restic repository)', load: backup },
  { name: 'backups', summary: 'List the snapshots (local and restic) that "church restore" can bring back', load: backup },
  { name: 'restore', summary: 'Restore a snapshot into the data dir (the current database is kept aside, never overwritten)', load: backup },
  { name: 'config', summary: 'Every setting of the studio from the shell: list, get, set, unset, edit, export, import, set-secret', load: config },
  { name: 'completion', summary: 'Shell completion for bash, zsh or fish: commands, options, presets, snapshot ids and config keys', load: completion },
  { name: 'kill', summary: 'Run the emergency kill-switch plan (or show what it would run with --dry-run)', load: kill },
  { name: 'mcp', summary: 'Serve the studio to local LLM agents over the Model Context Protocol (stdio)', load: mcp },
];

/** Loads one command's module and returns the command itself. */
export async function loadCommand(entry: CommandEntry): Promise<CliCommand> {
  const found = (await entry.load()).find((c) => c.name === entry.name);
  if (!found) throw new Error(`command table: ${entry.name} is not exported by its module`);
  return found;
}
