import type { Job } from '../../../shared/dto/jobs';

/** The `reason` label of church_job_failures_total: a short fixed set, so a failure's words never become a series. */
export const JOB_FAILURE_REASONS = ['ffmpeg_error', 'ffmpeg_missing', 'stalled', 'killed', 'disk_space', 'source', 'output_check', 'lab', 'runner', 'other'] as const;
export type JobFailureReason = (typeof JOB_FAILURE_REASONS)[number];

/**
 * Sorts a failed job by the words the jobs domain wrote for it (ffmpegFailure.ts and the engine's others), most
 * specific first. A wording the table does not know is `other`, never a new label.
 */
const RULES: [RegExp, JobFailureReason][] = [
  [/could not start \(/, 'ffmpeg_missing'],
  [/made no progress for/, 'stalled'],
  [/was killed \(/, 'killed'],
  [/disk space|no space left|ENOSPC/i, 'disk_space'],
  [/lab agent|the lab|agent .* (stopped|vanished|went)/i, 'lab'],
  [/output (check|file|is)|the output /i, 'output_check'],
  [/ffmpeg failed \(exit/, 'ffmpeg_error'],
  [/source|ENOENT|no such file|cannot read|could not read/i, 'source'],
  [/the job runner failed/, 'runner'],
];

export function jobFailureReason(job: Pick<Job, 'error' | 'exitCode'>): JobFailureReason {
  const text = job.error ?? '';
  for (const [re, reason] of RULES) if (re.test(text)) return reason;
  return job.exitCode !== null && job.exitCode !== 0 ? 'ffmpeg_error' : 'other';
}
