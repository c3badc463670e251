import type { ProbeResult } from './probe';

/** Who may see an item when it is published: everyone, paying subscribers, or the premium tier only. */
export const ACCESS_TIERS = ['free', 'subscriber', 'premium'] as const;
export type AccessTier = (typeof ACCESS_TIERS)[number];

/** A playable video, or an audio-only file kept as an audio item. */
export type ItemKind = 'video' | 'audio';

/** Why a file was not imported (the message says it for a person). */
export const IMPORT_FAILURE_CODES = ['empty', 'truncated', 'image', 'not-media', 'unreadable', 'timeout', 'no-streams'] as const;
export type ImportFailureCode = (typeof IMPORT_FAILURE_CODES)[number];

/** The kinds of files the job engine derives from a video. */
export const OUTPUT_KINDS = ['video', 'hls', 'image', 'audio', 'sprite'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Sort keys of list/search; 'relevance' only means something with a text query (else it sorts by title). */
export const LIBRARY_SORTS = ['title', 'fileName', 'addedAt', 'modifiedAt', 'duration', 'resolution', 'size', 'bitrate', 'codec', 'tier', 'rating', 'relevance'] as const;
export type LibrarySort = (typeof LIBRARY_SORTS)[number];

/** One row of a list or search page: everything a grid cell or table row shows, nothing heavier. */
export interface VideoSummary {
  id: number;
  kind: ItemKind;
  title: string;
  fileName: string;
  durationSec: number | null;
  /** Display size (after rotation); null for audio items. */
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  sizeBytes: number;
  bitRate: number | null;
  tier: AccessTier;
  /** 0 = unrated, 1–5 stars. */
  rating: number;
  favourite: boolean;
  tags: string[];
  /** The file is no longer where it was at the last scan; its metadata is kept. */
  missing: boolean;
  /** How many other items share this content fingerprint (0 = unique). */
  duplicateCount: number;
  /** True when the poster exists (fetch it as media `poster/<id>`). */
  hasPoster: boolean;
  /** True when the scrub sprite and its WebVTT exist (`sprite/<id>/sprite.jpg`, `sprite/<id>/sprite.vtt`). */
  hasSprite: boolean;
  addedAt: string;
  /** The file's modification time as last seen (ISO). */
  modifiedAt: string;
}

export interface CollectionRef {
  id: number;
  name: string;
}

/** A file the job engine derived from a video (an encode, an HLS folder, a thumbnail, a sprite). */
export interface DerivedOutput {
  id: number;
  videoId: number;
  jobId: number | null;
  preset: string;
  kind: OutputKind;
  /** A file, or for 'hls' the folder holding the playlist and segments. */
  path: string;
  sizeBytes: number;
  createdAt: string;
  /** False when the file is gone from disk. */
  exists: boolean;
}

/** What the job engine gives to record an output; the library assigns the id and the time. */
export type RegisterOutputInput = Pick<DerivedOutput, 'videoId' | 'jobId' | 'preset' | 'kind' | 'path' | 'sizeBytes'>;

/** Everything about one item: its file, its probe, its curation and its derived outputs. */
export interface VideoDetail extends VideoSummary {
  path: string;
  rootId: number | null;
  /** Content fingerprint (size + head + tail hash, like oshash); equal fingerprints mean duplicate copies. */
  fingerprint: string;
  probe: ProbeResult | null;
  container: string | null;
  notes: string;
  collections: CollectionRef[];
  /** Ids of the other items with the same fingerprint. */
  duplicateIds: number[];
  outputs: DerivedOutput[];
  lastSeenAt: string;
}

export interface VideoPage {
  items: VideoSummary[];
  /** Rows matching the filters (all pages). */
  total: number;
  offset: number;
  /** Pass back as `cursor` for the next page (keyset paging, fast at any depth); null on the last page. */
  nextCursor: string | null;
}

export interface LibraryRoot {
  id: number;
  path: string;
  addedAt: string;
  lastScanAt: string | null;
  videoCount: number;
  missingCount: number;
}

export interface ImportFailure {
  path: string;
  code: ImportFailureCode;
  /** What happened and what to do, for a person. */
  reason: string;
  at: string;
}

export type ImportPhase = 'walking' | 'probing' | 'assets' | 'done' | 'cancelled' | 'failed';

/** Sent as `library.importProgress` a few times a second while an import or scan runs, and once at its end. */
export interface ImportProgress {
  importId: string;
  phase: ImportPhase;
  /** Files found so far (walk); each counted once however many paths reach it. */
  seen: number;
  /** Files that needed probing and were probed (ok or failed). */
  probed: number;
  failed: number;
  /** Files already known and unchanged (not probed again). */
  unchanged: number;
  /** Files still to probe, as far as the walk has got. */
  queued: number;
  currentFile: string | null;
  /** Files per second over the run so far. */
  ratePerSec: number;
  /** Seconds to the end at the current rate; null while the walk is still finding files. */
  etaSec: number | null;
  startedAt: string;
}

export interface ImportSummary {
  importId: string;
  /** New items added. */
  imported: number;
  /** Known items whose file changed (size/mtime/fingerprint) and were probed again. */
  updated: number;
  /** Known items found at a new path (same fingerprint); their curation is kept. */
  moved: number;
  /** Files seen and already up to date, or reached twice (hard link, symlink, overlapping paths). */
  skipped: number;
  /** Items of the scanned roots whose file is gone: flagged missing, never deleted. */
  missing: number;
  failed: { path: string; code: ImportFailureCode; reason: string }[];
  assets: { generated: number; failed: number };
  cancelled: boolean;
  durationMs: number;
  filesPerSec: number;
}

export interface LibraryTag {
  name: string;
  count: number;
}

export interface LibraryCollection {
  id: number;
  name: string;
  description: string;
  position: number;
  itemCount: number;
  createdAt: string;
}

export interface DuplicateGroup {
  fingerprint: string;
  sizeBytes: number;
  items: VideoSummary[];
}

export interface LibraryStats {
  videos: number;
  audio: number;
  missing: number;
  duplicateGroups: number;
  failures: number;
  totalBytes: number;
  totalDurationSec: number;
}

/** Filters of list/search; all optional, combined with AND. */
export interface LibraryFilters {
  query?: string;
  kind?: ItemKind;
  tiers?: AccessTier[];
  minRating?: number;
  maxRating?: number;
  favourite?: boolean;
  /** Items carrying every one of these tags. */
  tags?: string[];
  minDurationSec?: number;
  maxDurationSec?: number;
  /** Display height bounds (e.g. 720 for "720p and up"). */
  minHeight?: number;
  maxHeight?: number;
  /** Video codec names as ffprobe reports them (h264, hevc, vp9, av1...). */
  codecs?: string[];
  missing?: boolean;
  duplicate?: boolean;
  collectionId?: number;
  rootId?: number;
}

export interface CurationPatch {
  title?: string;
  notes?: string;
  rating?: number;
  favourite?: boolean;
  tier?: AccessTier;
  /** Replaces the item's tags. */
  tags?: string[];
}

export interface BulkEdit {
  ids: number[];
  addTags?: string[];
  removeTags?: string[];
  rating?: number;
  favourite?: boolean;
  tier?: AccessTier;
  addToCollectionId?: number;
  removeFromCollectionId?: number;
}

