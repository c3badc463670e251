import type { FfmpegExit } from './ffmpegProcess';

/**
 * Why an ffmpeg run failed, in the owner's words: written once here for a whole job and for one unit (a chunk or
 * the audio pass) of a chunked job, whose messages name the unit and say that finished chunks are kept.
 */

/** The first useful line of ffmpeg's log for the error message (the tail holds the rest). */
export function ffmpegReason(logTail: string): string {
  const lines = logTail.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = [...lines].reverse().find((l) => /error|invalid|no such|not found|failed|cannot|unable/i.test(l));
  return (err ?? lines[lines.length - 1] ?? 'no log').slice(0, 300);
}

/** A unit's label ("chunk 4 of 12 (from 3:00)") when the run is one unit of a chunked job; absent for a whole job. */
export interface FailureScope {
  unit?: string;
}

const JOB_WORDS = { input: 'the input', check: 'the source file (rescan it in the library)', kept: '' };
const UNIT_WORDS = { input: 'the source', check: 'the source', kept: ' (finished chunks are kept)' };

function wordsFor(scope: FailureScope): { lead: string; input: string; check: string; kept: string } {
  return scope.unit === undefined ? { lead: '', ...JOB_WORDS } : { lead: `${scope.unit}: `, ...UNIT_WORDS };
}

export function spawnFailedMessage(bin: string, spawnError: string): string {
  return `ffmpeg at ${bin} could not start (${spawnError}); reinstall ffmpeg or set FFMPEG_PATH`;
}

export function stalledMessage(stallTimeoutMs: number, scope: FailureScope = {}): string {
  const w = wordsFor(scope);
  return `${w.lead}ffmpeg made no progress for ${Math.round(stallTimeoutMs / 1000)} s and was stopped; check that ${w.input} is readable, then retry${w.kept}`;
}

export function killedMessage(signal: NodeJS.Signals, scope: FailureScope = {}): string {
  const w = wordsFor(scope);
  return `${w.lead}ffmpeg was killed (${signal}) by something outside the studio; retry the job${w.kept}`;
}

/** reasonLine: the log line that says why (ffmpegReason of ffmpeg's log, or the lab's reason). */
export function exitFailedMessage(code: number | null, reasonLine: string, scope: FailureScope = {}): string {
  const w = wordsFor(scope);
  return `${w.lead}ffmpeg failed (exit ${code}): ${reasonLine}; check ${w.check} and the preset, then retry${w.kept}`;
}

export type FfmpegProblem = { kind: 'spawn' | 'stalled' | 'exit'; message: string };

/** What went wrong with one ffmpeg run that ended by itself; null when it succeeded. */
export function ffmpegProblem(exit: FfmpegExit, bin: string, stallTimeoutMs: number, scope: FailureScope = {}): FfmpegProblem | null {
  if (exit.spawnError) return { kind: 'spawn', message: spawnFailedMessage(bin, exit.spawnError) };
  if (exit.stalled) return { kind: 'stalled', message: stalledMessage(stallTimeoutMs, scope) };
  if (exit.code === 0) return null;
  return { kind: 'exit', message: exit.signal ? killedMessage(exit.signal, scope) : exitFailedMessage(exit.code, ffmpegReason(exit.logTail), scope) };
}
