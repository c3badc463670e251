import type { AccessTier, DerivedOutput, ItemKind, OutputKind, VideoSummary } from '../../../shared/dto/library';

/** Columns of a list row; everything a VideoSummary needs and nothing heavier (no probe JSON, no notes). */
export const SUMMARY_COLUMNS =
  'v.id, v.kind, v.title, v.file_name, v.duration_sec, v.width, v.height, v.video_codec, v.audio_codec, v.size_bytes, v.bit_rate, v.tier, v.rating, v.favourite, v.tags_json, v.missing, v.dup_count, v.has_poster, v.has_sprite, v.added_at, v.modified_at';

export interface SummaryRow {
  id: number;
  kind: ItemKind;
  title: string;
  file_name: string;
  duration_sec: number | null;
  width: number | null;
  height: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  size_bytes: number;
  bit_rate: number | null;
  tier: AccessTier;
  rating: number;
  favourite: number;
  tags_json: string;
  missing: number;
  dup_count: number;
  has_poster: number;
  has_sprite: number;
  added_at: string;
  modified_at: string;
}

export interface VideoRow extends SummaryRow {
  path: string;
  root_id: number | null;
  mtime_ms: number;
  fingerprint: string;
  container: string | null;
  probe_json: string | null;
  notes: string;
  last_seen_at: string;
}

export function toSummary(r: SummaryRow): VideoSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    fileName: r.file_name,
    durationSec: r.duration_sec,
    width: r.width,
    height: r.height,
    videoCodec: r.video_codec,
    audioCodec: r.audio_codec,
    sizeBytes: r.size_bytes,
    bitRate: r.bit_rate,
    tier: r.tier,
    rating: r.rating,
    favourite: r.favourite === 1,
    tags: JSON.parse(r.tags_json) as string[],
    missing: r.missing === 1,
    duplicateCount: r.dup_count,
    hasPoster: r.has_poster === 1,
    hasSprite: r.has_sprite === 1,
    addedAt: r.added_at,
    modifiedAt: r.modified_at,
  };
}

export interface OutputRow {
  id: number;
  video_id: number;
  job_id: number | null;
  preset: string;
  kind: OutputKind;
  path: string;
  size_bytes: number;
  created_at: string;
}

export function toOutput(r: OutputRow, exists: boolean): DerivedOutput {
  return { id: r.id, videoId: r.video_id, jobId: r.job_id, preset: r.preset, kind: r.kind, path: r.path, sizeBytes: r.size_bytes, createdAt: r.created_at, exists };
}
