import { resolve } from 'node:path';
import type { Job, JobProgress, JobWaiting, NoSpaceMode, QueueState } from '../../../shared/dto/jobs';
import { ChurchError } from '../../../shared/errors';
import { fmtBytes } from '../../../shared/format/bytes';
import type { CliCommand, CliContext, StudioClient } from '../command';
import { isLiveTerminal } from '../terminal';

function positiveId(raw: string | undefined, what: string, usage: string): number {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n <= 0) throw new ChurchError('INVALID_INPUT', `${what} must be a positive whole number; usage: ${usage}`);
  return n;
}

/** `--param crf=20 --param renditions=[...]`: JSON values where they parse, else strings. */
export function parseParams(raw: unknown): Record<string, unknown> {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Record<string, unknown> = {};
  for (const item of list) {
    const s = String(item);
    const eq = s.indexOf('=');
    if (eq <= 0) throw new ChurchError('INVALID_INPUT', `--param expects key=value, got "${s}"`);
    const value = s.slice(eq + 1);
    try {
      out[s.slice(0, eq)] = JSON.parse(value) as unknown;
    } catch {
      out[s.slice(0, eq)] = value;
    }
  }
  return out;
}

function duration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '–';
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressLine(p: JobProgress, width = 30): string {
  const pct = p.percent ?? 0;
  const filled = Math.round((pct / 100) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  return `${bar} ${pct.toFixed(1).padStart(5)}%  ${p.fps !== null ? `${p.fps.toFixed(0)} fps` : '– fps'}  ${p.speed !== null ? `${p.speed.toFixed(2)}x` : '–x'}  ETA ${duration(p.etaSec)}`;
}

/** A hold for disk space in a person's words: how much, how little, and which disk. */
export function holdText(w: JobWaiting): string {
  const disk = w.disk ? ` (${w.disk.device} mounted at ${w.disk.mount})` : '';
  return `waiting for disk space: needs ${fmtBytes(w.neededBytes)}, ${fmtBytes(w.freeBytes)} free in ${w.path}${disk}`;
}

function jobLine(j: Job): string {
  const pct = j.status === 'running' || j.status === 'paused' ? ` ${(j.progress?.percent ?? 0).toFixed(0)}%` : '';
  // Percent kept by a job that stopped short (cancelled, failed): what was encoded before it ended.
  const stopped = (j.status === 'cancelled' || j.status === 'failed' || j.status === 'interrupted') && j.progress?.percent != null ? ` at ${j.progress.percent.toFixed(0)}%` : '';
  const why = j.waiting ? holdText(j.waiting) : `${j.error ?? j.outputPath}${stopped}`;
  return `#${String(j.id).padEnd(5)} ${j.status.padEnd(11)}${pct.padEnd(5)} ${j.preset.padEnd(14)} video ${j.videoId ?? '–'}${j.priority ? `  prio ${j.priority}` : ''}${j.host ? `  on ${j.host}` : ''}  ${why}`;
}

function renderJob(j: Job): string {
  const lines = [
    `job #${j.id}: ${j.status}  (${j.preset}, ${j.kind}, video ${j.videoId ?? '–'}${j.extraVideoIds.length ? ` + ${j.extraVideoIds.join(', ')}` : ''}, priority ${j.priority}, attempt ${j.attempts})`,
    `  plan:    ${j.plan ?? '–'}`,
    `  output:  ${j.outputPath}`,
    ...(j.host ? [`  host:    ${j.host} (lab agent)`] : []),
    `  queued:  ${j.createdAt}${j.startedAt ? `   started: ${j.startedAt}` : ''}${j.finishedAt ? `   finished: ${j.finishedAt}` : ''}`,
  ];
  if (j.progress && (j.status === 'running' || j.status === 'paused')) lines.push(`  ${progressLine(j.progress)}`);
  if (j.exitCode !== null) lines.push(`  exit:    ${j.exitCode}`);
  if (j.progress && j.status !== 'running' && j.status !== 'paused' && j.status !== 'done') lines.push(`  stopped at: ${progressLine(j.progress)}`);
  if (j.waiting) lines.push(`  ${holdText(j.waiting)}; it starts when there is room`, `  why:     ${j.waiting.reason}`);
  if (j.noSpace === 'fail') lines.push('  if the disk is too full: fail (--if-no-space fail)');
  if (j.error) lines.push(`  error:   ${j.error}`);
  if (j.args.length) lines.push(`  ffmpeg ${j.args.map((a) => (/^[\w./:=@+,-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`);
  if (j.logTail) lines.push('  log tail:', ...j.logTail.split('\n').map((l) => `    ${l}`));
  return lines.join('\n');
}

function queueLine(q: QueueState): string {
  return `queue ${q.paused ? 'PAUSED' : 'running'}: ${q.running} running, ${q.queued} queued, concurrency ${q.concurrency}`;
}

/** Follows a job to its end: progress on stderr (a redrawn bar on a TTY, a line every few seconds otherwise). */
async function follow(ctx: CliContext, client: StudioClient, job: Job): Promise<Job> {
  const tty = isLiveTerminal(ctx.stderr, ctx.env);
  let lastLine = 0;
  let finalPrinted = false;
  const onProgress = (p: JobProgress) => {
    if (ctx.json) return;
    if (tty) ctx.stderr.write(`\r${progressLine(p)}   `);
    else if (p.percent === 100 ? !finalPrinted : Date.now() - lastLine > 2000) {
      // ffmpeg reports the end more than once (its last progress block, then the job's own 100 %): one line.
      finalPrinted ||= p.percent === 100;
      lastLine = Date.now();
      ctx.stderr.write(`${progressLine(p)}\n`);
    }
  };
  // A hold for disk space is said once per change (needed or free), not at every look.
  let lastHold = '';
  const onJob = (j: Job) => {
    const hold = j.waiting ? holdText(j.waiting) : '';
    if (ctx.json || hold === lastHold) return;
    lastHold = hold;
    if (hold) ctx.stderr.write(`${tty ? '\r' : ''}job #${j.id} is ${hold}; it starts when there is room (Ctrl-C cancels it; --if-no-space fail fails instead)\n`);
  };
  const onSigint = () => void client.invoke('jobs.cancel', { id: job.id });
  process.once('SIGINT', onSigint);
  try {
    const final = await client.followJob(job.id, { onProgress, onJob });
    if (tty && !ctx.json) ctx.stderr.write('\n');
    return final;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

const transcodeCommand: CliCommand = {
  name: 'transcode',
  summary: 'Queue a job: a library video through a preset (church presets lists them)',
  usage: 'church transcode VIDEO_ID --preset NAME [--out DIR] [--param key=value]... [--chunk-seconds N] [--with ID]... [--priority N] [--if-no-space wait|fail] [--wait] [--json]',
  options: {
    preset: { type: 'string' },
    'if-no-space': { type: 'string' },
    'chunk-seconds': { type: 'string' },
    out: { type: 'string' },
    param: { type: 'string', multiple: true },
    with: { type: 'string', multiple: true },
    priority: { type: 'string' },
    wait: { type: 'boolean' },
  },
  engines: true,
  async run(ctx, args) {
    const videoId = positiveId(args.positionals[0], 'VIDEO_ID', this.usage);
    const preset = args.values.preset;
    if (typeof preset !== 'string') throw new ChurchError('INVALID_INPUT', `--preset is required; usage: ${this.usage}`);
    const extra = (Array.isArray(args.values.with) ? args.values.with : []).map((x) => positiveId(String(x), '--with', this.usage));
    const priority = args.values.priority === undefined ? undefined : Number(args.values.priority);
    if (priority !== undefined && !Number.isInteger(priority)) throw new ChurchError('INVALID_INPUT', '--priority must be a whole number between -100 and 100');
    const chunkArg = args.values['chunk-seconds'];
    const chunkSeconds = chunkArg === undefined ? undefined : Number(chunkArg);
    if (chunkSeconds !== undefined && (!Number.isFinite(chunkSeconds) || (chunkSeconds !== 0 && (chunkSeconds < 2 || chunkSeconds > 3600)))) {
      throw new ChurchError('INVALID_INPUT', `--chunk-seconds must be 0 (encode in one piece) or a number of seconds from 2 to 3600, got "${String(chunkArg)}"`);
    }
    const noSpaceArg = args.values['if-no-space'];
    const noSpace: NoSpaceMode | undefined = noSpaceArg === 'wait' || noSpaceArg === 'fail' ? noSpaceArg : undefined;
    if (noSpaceArg !== undefined && noSpace === undefined) throw new ChurchError('INVALID_INPUT', `--if-no-space is "wait" (hold the job until there is room) or "fail", got "${String(noSpaceArg)}"`);
    const client = await ctx.client();
    const input = {
      ...(noSpace !== undefined ? { noSpace } : {}),
      videoId,
      preset,
      params: { ...parseParams(args.values.param), ...(chunkSeconds !== undefined ? { chunkSeconds } : {}) },
      ...(extra.length ? { extraVideoIds: extra } : {}),
      ...(priority !== undefined ? { priority } : {}),
      // Relative to where the owner typed the command, not to the studio's (or this process's later) cwd.
      ...(typeof args.values.out === 'string' ? { outDir: resolve(args.values.out) } : {}),
    };
    const job = await client.call('jobs.enqueue', input);
    // Without a studio running, this process is the engine: leaving would interrupt the job, so it waits.
    const wait = args.values.wait === true || !client.remote;
    if (!wait) {
      ctx.print(job, () => `queued job #${job.id} (${job.plan ?? job.preset}); follow it with "church job ${job.id}"`);
      return 0;
    }
    if (!client.remote && args.values.wait !== true && !ctx.json) ctx.stderr.write('no studio is running on this data dir: running the job in this process\n');
    if (!ctx.json) ctx.stderr.write(`job #${job.id}: ${job.plan ?? job.preset}\n`);
    const final = await follow(ctx, client, job);
    ctx.print(final, () => (final.status === 'done' ? `done: ${final.outputPath}` : `job #${final.id} ${final.status}: ${final.error ?? 'no reason given'}`));
    return final.status === 'done' ? 0 : 1;
  },
};

const jobsListCommand: CliCommand = {
  name: 'jobs',
  summary: 'The job queue: active jobs first, then the newest others',
  usage: 'church jobs [--status STATUS] [--limit N] [--pause | --resume] [--json]',
  options: { status: { type: 'string' }, limit: { type: 'string' }, pause: { type: 'boolean' }, resume: { type: 'boolean' } },
  async run(ctx, args) {
    const client = await ctx.client();
    if (args.values.pause === true) await client.call('jobs.pause', {});
    if (args.values.resume === true) await client.call('jobs.resume', {});
    const input: Record<string, unknown> = {};
    if (typeof args.values.status === 'string') input.status = args.values.status;
    if (typeof args.values.limit === 'string') input.limit = Number(args.values.limit);
    const list = await client.call('jobs.list', input);
    ctx.print(list, () => [queueLine(list.queue), ...(list.jobs.length ? list.jobs.map(jobLine) : ['no jobs yet; queue one with "church transcode VIDEO_ID --preset web"'])].join('\n'));
    return 0;
  },
};

const jobCommand: CliCommand = {
  name: 'job',
  summary: 'One job: plan, ffmpeg arguments, timings, exit status and the tail of its log',
  usage: 'church job JOB_ID [--json]',
  async run(ctx, args) {
    const id = positiveId(args.positionals[0], 'JOB_ID', this.usage);
    const job = await (await ctx.client()).call('jobs.get', { id });
    ctx.print(job, () => renderJob(job));
    return 0;
  },
};

function jobAction(name: 'cancel' | 'retry', summary: string): CliCommand {
  return {
    name,
    summary,
    usage: `church ${name} JOB_ID [--json]`,
    // A retry without a running studio needs an engine here to run it.
    engines: name === 'retry',
    async run(ctx, args) {
      const id = positiveId(args.positionals[0], 'JOB_ID', this.usage);
      const client = await ctx.client();
      const job = await client.call(name === 'cancel' ? 'jobs.cancel' : 'jobs.retry', { id });
      if (name === 'retry' && !client.remote) {
        const final = await follow(ctx, client, job);
        ctx.print(final, () => `job #${final.id} ${final.status}${final.error ? `: ${final.error}` : ''}`);
        return final.status === 'done' ? 0 : 1;
      }
      ctx.print(job, () => `job #${job.id} ${job.status}`);
      return 0;
    },
  };
}

const presetsCommand: CliCommand = {
  name: 'presets',
  summary: 'Built-in and user presets (JSON files you can copy into the data dir and edit)',
  usage: 'church presets [--json]',
  async run(ctx) {
    const list = await (await ctx.client()).call('jobs.presets', {});
    ctx.print(list, () =>
      [
        ...list.presets.map((p) => `${p.name.padEnd(16)} ${p.kind.padEnd(10)} ${p.source.padEnd(9)} ${p.description}`),
        ...list.problems.map((p) => `! ${p.message}`),
        `user presets: ${list.userDir} (copy a built-in file there, change "name" and the params)`,
      ].join('\n'),
    );
    return 0;
  },
};

/** The `church` commands of the jobs domain. */
export const jobsCommands: CliCommand[] = [
  transcodeCommand,
  jobsListCommand,
  jobCommand,
  jobAction('cancel', 'Cancel a queued, running, paused or interrupted job (nothing half-written stays)'),
  jobAction('retry', 'Queue a failed, cancelled or interrupted job again'),
  presetsCommand,
];
