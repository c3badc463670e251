import { useState } from 'react';
import { AUTO_CHUNK_ABOVE_SEC, AUTO_CHUNK_SEC, CHUNKABLE_KINDS, type PresetInfo } from '../../../shared/dto/jobs';

/** The form's choice: automatic (long sources only), off (one piece), or a length the owner typed. */
export interface ChunkChoice {
  mode: 'auto' | 'off' | 'seconds';
  /** As typed, so a half-typed number is not rewritten under the owner's fingers. */
  seconds: string;
}

export const MIN_SEC = 2;
export const MAX_SEC = 3600;

function canChunk(preset: PresetInfo | undefined): boolean {
  return !!preset && CHUNKABLE_KINDS.includes(preset.kind);
}

/** What the preset file says (chunkSeconds null or absent: automatic; 0: off; a number: that length). */
function choiceFromPreset(preset: PresetInfo | undefined): ChunkChoice {
  const v = preset?.params.chunkSeconds;
  if (v === 0) return { mode: 'off', seconds: String(AUTO_CHUNK_SEC) };
  if (typeof v === 'number') return { mode: 'seconds', seconds: String(v) };
  return { mode: 'auto', seconds: String(AUTO_CHUNK_SEC) };
}

/** The chunkSeconds parameter for the job, or an error in the form's words when the typed length is unusable. */
export function chunkSecondsOf(choice: ChunkChoice): { value: number | null } | { error: string } {
  if (choice.mode === 'auto') return { value: null };
  if (choice.mode === 'off') return { value: 0 };
  const n = Number(choice.seconds);
  if (choice.seconds.trim() === '' || !Number.isFinite(n) || n < MIN_SEC || n > MAX_SEC) {
    return { error: `Chunk length must be a number of seconds from ${MIN_SEC} to ${MAX_SEC}; or pick "auto" or "off" under Split into chunks.` };
  }
  return { value: n };
}

const HELP: Record<ChunkChoice['mode'], string> = {
  auto: `Sources longer than ${AUTO_CHUNK_ABOVE_SEC / 60} min are split into ~${AUTO_CHUNK_SEC} s chunks cut at keyframes; shorter ones are encoded in one piece.`,
  off: 'Encoded in one piece: an interruption restarts it from zero.',
  seconds: 'Cut at the first keyframe after each step; chunks run in parallel (on lab agents when the lab is on) and an interruption costs only the chunks in flight. Sources shorter than 1.5 chunks, and remuxes, stay one piece.',
};

/**
 * The chunk choice of a form that queues with `preset`: it follows the preset's own chunkSeconds until the owner
 * changes it (`changed`); null for a preset that cannot be chunked. `reset` goes back to following the preset.
 */
export function useChunkChoice(preset: PresetInfo | undefined, kept?: [ChunkChoice | null, (c: ChunkChoice | null) => void]) {
  const own = useState<ChunkChoice | null>(null);
  // `kept`: the choice held by the caller, for a form that must remember it while it is not on screen.
  const [choice, setChoice] = kept ?? own;
  const chunking = canChunk(preset) ? (choice ?? choiceFromPreset(preset)) : null;
  const seconds = chunking ? chunkSecondsOf(chunking) : null;
  return {
    chunking,
    /** The job parameter to send (null chunkSeconds: automatic); undefined without chunking or with an unusable length. */
    params: seconds && 'value' in seconds ? { chunkSeconds: seconds.value } : undefined,
    error: seconds && 'error' in seconds ? seconds.error : null,
    changed: choice !== null,
    set: setChoice,
    reset: () => setChoice(null),
  };
}

export function chunkHelp(choice: ChunkChoice): string {
  return HELP[choice.mode];
}
