import { z } from 'zod';
import type { Job } from '../../../shared/dto/jobs';
import { ChurchError } from '../../../shared/errors';
import { defineTool, type ToolContext } from '../toolkit';

const videoId = z.number().int().positive().describe('A library id, as returned by library_search');
const jobId = z.number().int().positive().describe('A job id, as returned by transcode, thumbnail or hls_package');
const priority = z.number().int().min(-100).max(100).optional().describe('Higher runs first; default 0');
const outDir = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe("Absolute folder for the output, inside a library root or the studio's outputs folder; default: the outputs folder");

const jobOutput = z.object({
  id: z.number(),
  videoId: z.number().nullable(),
  preset: z.string(),
  status: z.string(),
  plan: z.string().nullable(),
  progress: z.object({ percent: z.number().nullable(), speed: z.number().nullable(), etaSec: z.number().nullable() }).nullable(),
  error: z.string().nullable(),
  outputIds: z.array(z.number()),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  waiting: z
    .object({ reason: z.string(), neededBytes: z.number(), freeBytes: z.number(), path: z.string(), disk: z.object({ mount: z.string(), device: z.string() }).nullable() })
    .optional()
    .describe('Set while the job is held in the queue for disk space: what its output needs, what is free, and which disk'),
});

const wait = z
  .boolean()
  .default(false)
  .describe(
    'true: answer when the job has ended (send a progress token to receive progress notifications; cancelling the request cancels the job). false: answer at once with the queued job',
  );

/**
 * Follows a job to its end, reporting its percent as progress; when the client cancels the request the job is
 * cancelled too (an agent that gave up does not leave an encode running).
 */
async function waitForJob(job: ReturnType<typeof jobBrief>, ctx: ToolContext): Promise<ReturnType<typeof jobBrief>> {
  let status = job.status;
  // 100 is kept for the end, so the last notification says how the job ended.
  const report = (state: string, percent: number) => ctx.progress(percent, 100, `job ${job.id} ${state} ${percent.toFixed(1)} %`);
  await ctx.progress(0, 100, `job ${job.id} ${job.status}`);
  // A job held for disk space may wait for hours: the answer says so now instead of hanging on.
  const held = new AbortController();
  const stop = AbortSignal.any([ctx.signal, held.signal]);
  let hold: Job | null = null;
  let final: Job;
  try {
    final = await ctx.studio.followJob(job.id, {
      signal: stop,
      onJob: (j) => {
        if (!j.waiting) return;
        hold = j;
        held.abort();
      },
      onProgress: (p) => {
        status = 'running';
        // A notification that cannot be sent (the client went away) is not the job's failure.
        report(status, Math.min(99.9, p.percent ?? 0)).catch(() => undefined);
      },
    });
  } catch (e) {
    if (hold && !ctx.signal.aborted) return jobBrief(hold);
    if (!ctx.signal.aborted) throw e;
    const cancelled = await ctx.call('jobs.cancel', { id: job.id }).catch(() => null);
    throw new ChurchError('CANCELLED', `the request was cancelled, and so was job ${job.id} (${cancelled?.status ?? status})`);
  }
  await report(final.status, final.status === 'done' ? 100 : Math.min(99.9, final.progress?.percent ?? 0));
  return jobBrief(final);
}

/** A job as an agent needs it: state, progress and outcome, no ffmpeg internals. */
export function jobBrief(j: Job) {
  return {
    id: j.id,
    videoId: j.videoId,
    preset: j.preset,
    status: j.status,
    plan: j.plan,
    progress: j.progress ? { percent: j.progress.percent, speed: j.progress.speed, etaSec: j.progress.etaSec } : null,
    error: j.error,
    outputIds: j.outputIds,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    ...(j.waiting ? { waiting: { reason: j.waiting.reason, neededBytes: j.waiting.neededBytes, freeBytes: j.waiting.freeBytes, path: j.waiting.path, disk: j.waiting.disk } } : {}),
  };
}

async function enqueue(
  ctx: ToolContext,
  input: { videoId: number; preset: string; params?: Record<string, string | number | boolean | null | number[]>; priority?: number; outDir?: string; wait?: boolean },
) {
  // The studio holds an MCP client's outDir and file parameters inside the library roots and the outputs folder
  // (host/handlers/mcpScope.ts), whatever path reaches it.
  const job = jobBrief(await ctx.call('jobs.enqueue', { videoId: input.videoId, preset: input.preset, params: input.params, priority: input.priority, outDir: input.outDir }));
  return input.wait ? waitForJob(job, ctx) : job;
}

export const transcodeTool = defineTool({
  name: 'transcode',
  title: 'Transcode a video with a preset',
  description:
    'Queues an ffmpeg job that turns a library video into an output described by a preset (e.g. "web": H.264 MP4 every browser plays; "web-720"; "audio"; "watermark"; "avatar-overlay" bakes the avatar cue track). Impossible requests fail at once with the reason. Returns the queued job at once (poll job_status), or with wait=true when it has ended, with progress notifications on the way. A job whose output disk is too full is held in the queue: the answer then carries "waiting" (bytes needed, bytes free, the disk) at once, with or without wait.',
  input: z
    .object({
      videoId,
      preset: z.string().min(1).max(64).regex(/^[\w.-]+$/).describe('A preset name (the studio lists them in its Jobs screen); e.g. web, web-720, audio'),
      priority,
      outDir,
      wait,
    })
    .strict(),
  output: jobOutput,
  readOnly: false,
  run: (args, ctx) => enqueue(ctx, args),
});

export const thumbnailTool = defineTool({
  name: 'thumbnail',
  title: 'Make a thumbnail',
  description: 'Queues a JPEG thumbnail of a library video at a time (default 10 % in), at a width (default 640). Returns the job; poll job_status.',
  input: z
    .object({
      videoId,
      atSec: z.number().min(0).max(86_400).optional().describe('Time of the frame in seconds; clamped to the video'),
      width: z.number().int().min(16).max(3840).optional(),
      priority,
      outDir,
    })
    .strict(),
  output: jobOutput,
  readOnly: false,
  run: ({ videoId: id, atSec, width, priority: p, outDir: dir }, ctx) => {
    const params: Record<string, number> = {};
    if (atSec !== undefined) params.atSec = atSec;
    if (width !== undefined) params.width = width;
    return enqueue(ctx, { videoId: id, preset: 'thumbnail', params, priority: p, outDir: dir });
  },
});

export const hlsPackageTool = defineTool({
  name: 'hls_package',
  title: 'Package a video as HLS',
  description:
    'Queues an HLS VOD package of a library video: one rendition ("single"), or an adaptive ladder (1080p/720p/480p by default; renditions above the source are skipped) with a master playlist. Returns the queued job at once (poll job_status), or with wait=true when it has ended, with progress notifications on the way.',
  input: z
    .object({
      videoId,
      mode: z.enum(['single', 'ladder']).default('ladder'),
      segmentSec: z.number().min(1).max(30).optional().describe('Segment length in seconds (default 4)'),
      priority,
      outDir,
      wait,
    })
    .strict(),
  output: jobOutput,
  readOnly: false,
  run: ({ videoId: id, mode, segmentSec, priority: p, outDir: dir, wait: w }, ctx) =>
    enqueue(ctx, { videoId: id, preset: mode === 'ladder' ? 'ladder' : 'hls', params: segmentSec === undefined ? undefined : { segmentSec }, priority: p, outDir: dir, wait: w }),
});

export const jobStatusTool = defineTool({
  name: 'job_status',
  title: 'Job status',
  description: 'The state of one job (queued, running with percent/speed/ETA, done with its output ids, failed with the reason), or of the newest jobs when no id is given. Read-only.',
  input: z.object({ id: jobId.optional(), limit: z.number().int().min(1).max(50).default(10) }).strict(),
  // One job (with an id), or the queue and the newest jobs.
  output: jobOutput.partial().extend({ queue: z.looseObject({}).optional(), jobs: z.array(jobOutput).optional() }),
  readOnly: true,
  async run({ id, limit }, { call }) {
    if (id !== undefined) return jobBrief(await call('jobs.get', { id }));
    const list = await call('jobs.list', { limit });
    return { queue: list.queue, jobs: list.jobs.map(jobBrief) };
  },
});

export const jobCancelTool = defineTool({
  name: 'job_cancel',
  title: 'Cancel a job',
  description: 'Cancels a queued or running job; nothing half-written is left behind. Returns the job.',
  input: z.object({ id: jobId }).strict(),
  output: jobOutput,
  readOnly: false,
  destructive: true,
  idempotent: true,
  async run({ id }, { call }) {
    return jobBrief(await call('jobs.cancel', { id }));
  },
});
