import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import type { Job, JobEngineSettings, JobList, JobProgress, PresetList, QueueState } from '../dto/jobs';

const jobId = z.number().int().positive();
const presetName = z.string().min(1).max(64).regex(/^[\w.-]+$/, 'letters, digits, _ . - only');
/** Preset parameter overrides: checked against the preset kind's own schema by the engine. */
const paramOverrides = z.record(z.string().max(64), z.union([z.string().max(4096), z.number(), z.boolean(), z.null(), z.array(z.number())])).optional();

export const jobsRequests = {
  'jobs.list': request<JobList>()({
    actors: OWNER_AND_MCP,
    input: z
      .object({
        status: z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted']).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    description: 'Jobs, newest first (active ones always included), and the queue state.',
  }),
  'jobs.get': request<Job>()({
    actors: OWNER_AND_MCP,
    input: z.object({ id: jobId }).strict(),
    description: 'One job with its arguments, timings, exit status and log tail.',
  }),
  'jobs.enqueue': request<Job>()({
    actors: OWNER_AND_MCP,
    input: z
      .object({
        videoId: z.number().int().positive(),
        preset: presetName,
        /** concat: the library videos appended after videoId, in order. */
        extraVideoIds: z.array(z.number().int().positive()).max(100).optional(),
        params: paramOverrides,
        priority: z.number().int().min(-100).max(100).optional(),
        /** Output folder; default: the data dir's outputs/<videoId> folder. */
        outDir: z.string().min(1).max(4096).optional(),
        /** When its disk is too full: wait in the queue for room, or fail at once; default: the engine's setting. */
        noSpace: z.enum(['wait', 'fail']).optional(),
      })
      .strict(),
    description: 'Checks the preset against the video (impossible requests fail here, before ffmpeg) and queues a job.',
    mutates: true,
  }),
  'jobs.cancel': request<Job>()({
    actors: OWNER_AND_MCP,
    input: z.object({ id: jobId }).strict(),
    description: 'Cancels a queued or running job (SIGTERM, then SIGKILL after a grace period); nothing half-written stays.',
    mutates: true,
  }),
  'jobs.retry': request<Job>()({
    actors: OWNER,
    input: z.object({ id: jobId }).strict(),
    description: 'Queues a failed, cancelled or interrupted job again.',
    mutates: true,
  }),
  'jobs.move': request<Job[]>()({
    actors: OWNER,
    input: z.object({ id: jobId, before: jobId.nullable() }).strict(),
    description:
      'Moves a queued job to just before another queued job (before: null moves it to the end); it takes the priority of the place it lands in, so the queue starts jobs in the order shown. Returns the queued jobs in their new order.',
    mutates: true,
  }),
  'jobs.clearFinished': request<{ cleared: number[] }>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Removes done, failed and cancelled jobs from the list (their outputs stay in the library); returns their ids.',
    mutates: true,
  }),
  'jobs.pauseJob': request<Job>()({
    actors: OWNER,
    input: z.object({ id: jobId }).strict(),
    description: 'Suspends one running job in place (its slot stays taken); the rest of the queue goes on.',
    mutates: true,
  }),
  'jobs.resumeJob': request<Job>()({
    actors: OWNER,
    input: z.object({ id: jobId }).strict(),
    description: 'Continues a job paused on its own (it stays paused while the whole queue is paused).',
    mutates: true,
  }),
  'jobs.pause': request<QueueState>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Pauses the queue: no job starts, and running encodes are suspended in place (SIGSTOP) until resume.',
    mutates: true,
  }),
  'jobs.resume': request<QueueState>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Resumes the queue.',
    mutates: true,
  }),
  'jobs.presets': request<PresetList>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'Built-in and user presets (JSON files), and any that could not be loaded.',
  }),
  'jobs.savePreset': request<PresetList>()({
    actors: OWNER,
    input: z
      .object({
        name: presetName,
        kind: z.enum(['web', 'hls', 'ladder', 'audio', 'thumbnail', 'sprite', 'concat', 'watermark', 'avatar']),
        description: z.string().max(500).default(''),
        params: z.record(z.string().max(64), z.unknown()).default({}),
      })
      .strict(),
    description: 'Creates or replaces a user preset (a JSON file in the presets folder; a built-in of that name is then shadowed). Its params are checked against the kind first.',
    mutates: true,
  }),
  'jobs.deletePreset': request<PresetList>()({
    actors: OWNER,
    input: z.object({ name: presetName }).strict(),
    description: 'Deletes a user preset (its JSON file); built-in presets cannot be deleted.',
    mutates: true,
  }),
  'jobs.getSettings': request<JobEngineSettings>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Concurrency and crash-recovery mode.',
  }),
  'jobs.setSettings': request<JobEngineSettings>()({
    actors: OWNER,
    input: z.object({ concurrency: z.number().int().min(1).max(64).optional(), recovery: z.enum(['requeue', 'leave']).optional(), noSpace: z.enum(['wait', 'fail']).optional() }).strict(),
    description: 'Changes concurrency (takes effect at once), the crash-recovery mode, or what a job does when its disk is too full (wait or fail).',
    mutates: true,
  }),
};

export const jobsEvents = {
  'jobs.changed': event<Job>('A job was queued or changed state.'),
  'jobs.progress': event<JobProgress>('Live progress of a running job (at most a few times a second per job).'),
  'jobs.queue': event<QueueState>('The queue was paused, resumed, or its concurrency changed.'),
};
