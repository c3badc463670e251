import type { PresetKind } from '../../../shared/dto/jobs';
import { fmtBytes } from '../../../shared/format/bytes';

export { fmtBytes };

/** What the guard knows of a job before ffmpeg runs. */
export interface SpaceInput {
  kind: PresetKind;
  params: Record<string, unknown>;
  /** Every input: its duration (null when unknown) and size on disk. */
  sources: readonly { durationSec: number | null; sizeBytes: number }[];
  /** The engine's plan ("remux: …", "copy …"): a stream copy writes about the source's size, not the cap's. */
  plan: string;
}

export interface SpaceEstimate {
  bytes: number;
  /** How it was reckoned, in words for the job's message. */
  basis: string;
}

/** Over the estimate: container overhead, VBV overshoot. */
export const SPACE_MARGIN = 1.1;
/** Free space kept on the output's disk besides the output (the filesystem's own metadata, other writers): at most this… */
export const SPACE_SLACK_BYTES = 16 * 1024 * 1024;
/** …and at least this; in between, a 64th of the disk, so a small disk is not asked for more than it could hold. */
const MIN_SLACK_BYTES = 256 * 1024;

/**
 * The space kept free on a disk besides an output: one rule for the job's disk guard and the lab's upload
 * receiver, so a job allowed to start is never refused when its output arrives. Unknown size: the full 16 MiB.
 */
export function diskHeadroomBytes(totalBytes: number | null): number {
  if (totalBytes === null || !Number.isFinite(totalBytes) || totalBytes <= 0) return SPACE_SLACK_BYTES;
  return Math.min(SPACE_SLACK_BYTES, Math.max(MIN_SLACK_BYTES, Math.floor(totalBytes / 64)));
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

function isCopy(plan: string): boolean {
  return /^(remux|stream copy)\b/i.test(plan);
}

/**
 * The output's size before it exists: the preset's bitrate cap × duration (audio included), or the sources' size
 * for a remux/stream copy, times SPACE_MARGIN (the disk's headroom is added by decideSpace). Pure; an unknown duration falls back to the
 * source size (an encode under a cap is rarely larger than its source).
 */
export function estimateOutputBytes(input: SpaceInput): SpaceEstimate {
  const p = input.params;
  const totalSize = input.sources.reduce((s, x) => s + x.sizeBytes, 0);
  const known = input.sources.every((s) => s.durationSec !== null);
  const durationSec = input.kind === 'concat' ? input.sources.reduce((s, x) => s + (x.durationSec ?? 0), 0) : (input.sources[0]?.durationSec ?? 0);
  const fromRate = (kbps: number): SpaceEstimate | null =>
    known && durationSec > 0 ? { bytes: (kbps * 1000 * durationSec) / 8, basis: `${Math.round(kbps)} kbit/s × ${fmtDuration(durationSec)}` } : null;
  const sourceSize: SpaceEstimate = { bytes: totalSize, basis: 'the size of the source' };
  let est: SpaceEstimate;
  switch (input.kind) {
    case 'thumbnail':
      est = { bytes: 4 * 1024 * 1024, basis: 'one still image' };
      break;
    case 'sprite':
      est = { bytes: num(p.maxTiles, 100) * 40 * 1024, basis: `${num(p.maxTiles, 100)} tiles` };
      break;
    case 'audio':
      // A copied audio track's bitrate is not known here: 320 kbit/s covers AAC/MP3/Opus as shipped.
      est = fromRate(isCopy(input.plan) ? 320 : num(p.bitrateKbps, 160)) ?? sourceSize;
      break;
    case 'ladder': {
      const renditions = Array.isArray(p.renditions) ? (p.renditions as { videoKbps?: unknown }[]) : [];
      const kbps = renditions.reduce((s, r) => s + num(r.videoKbps, 5000) + num(p.audioKbps, 128), 0);
      est = fromRate(kbps) ?? { bytes: totalSize * Math.max(1, renditions.length), basis: `${renditions.length} renditions of the source's size` };
      break;
    }
    default: {
      // web, hls, concat, watermark, avatar: video capped at maxrateKbps, plus the audio track.
      if (isCopy(input.plan)) {
        est = sourceSize;
        break;
      }
      est = fromRate(num(p.maxrateKbps, 8000) + num(p.audioKbps, 128)) ?? sourceSize;
    }
  }
  return { bytes: Math.ceil(est.bytes * SPACE_MARGIN), basis: est.basis };
}

/** A disk as statfs sees it: free for an ordinary user, and its whole size (null: unknown). */
export interface DiskRoom {
  freeBytes: number;
  totalBytes: number | null;
}

export type SpaceDecision =
  | { ok: true; neededBytes: number; freeBytes: number }
  /** never: the disk is smaller than the need, so waiting cannot help (the job fails at once). */
  | { ok: false; neededBytes: number; freeBytes: number; message: string; path: string; never?: true };

/**
 * Enough room for the estimate plus the disk's headroom on the output folder's disk? The message names the folder,
 * the need (and how it was reckoned, headroom included) and the free space; a disk smaller than the need says so.
 */
export function decideSpace(estimate: SpaceEstimate, disk: DiskRoom, outDir: string): SpaceDecision {
  const headroom = diskHeadroomBytes(disk.totalBytes);
  const neededBytes = estimate.bytes + headroom;
  const freeBytes = disk.freeBytes;
  if (freeBytes >= neededBytes) return { ok: true, neededBytes, freeBytes };
  const need = `about ${fmtBytes(neededBytes)} (${estimate.basis}, plus 10 %, plus ${fmtBytes(headroom)} kept free on the disk)`;
  if (disk.totalBytes !== null && neededBytes > disk.totalBytes) {
    return {
      ok: false,
      never: true,
      neededBytes,
      freeBytes,
      path: outDir,
      message: `the disk holding ${outDir} is too small for this output: it needs ${need}, and the whole disk is ${fmtBytes(disk.totalBytes)}; choose another output folder`,
    };
  }
  return {
    ok: false,
    neededBytes,
    freeBytes,
    path: outDir,
    message: `not enough disk space in ${outDir}: the output needs ${need}, ${fmtBytes(freeBytes)} is free; free some space there or choose another output folder`,
  };
}

function fmtDuration(sec: number): string {
  if (sec < 120) return `${Math.round(sec)} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}
