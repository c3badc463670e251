import { z } from 'zod';
import type { PresetKind } from '../../../../shared/dto/jobs';

// Preset files are data the owner may copy and edit, so every field is validated and every default is explicit.

const x264Preset = z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow']);
const corner = z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right']);
const position = z.enum(['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center']);

/** Shared by every preset that encodes H.264 + AAC. */
const videoEncode = {
  crf: z.number().int().min(0).max(51).default(23),
  x264Preset: x264Preset.default('veryfast'),
  /** Peak video bitrate (kbit/s): CRF keeps the quality, the cap keeps the file streamable. */
  maxrateKbps: z.number().int().min(100).max(200_000).default(6000),
  /** Scale down until the short side is at most this (never up; "720" is 1280x720 or 720x1280); null keeps the source size. */
  maxHeight: z.number().int().min(16).max(8640).nullable().default(null),
  audioKbps: z.number().int().min(16).max(640).default(128),
};

/**
 * The web preset's H.264 encoder: libx264, or a hardware one (the lab sends such a job to an agent whose test
 * encode passed for it, and falls back to libx264 on that agent when it will not open). VAAPI is left out: it
 * needs a device and an upload filter the preset does not build.
 */
export const webEncoder = z.enum(['libx264', 'h264_nvenc', 'h264_qsv', 'h264_amf', 'h264_videotoolbox']);

/**
 * Chunked encodes: split at keyframes into pieces of about this many seconds, encoded as separate units and
 * joined without re-encoding (resumable, parallel). null: automatic (long sources only); 0: never.
 */
const chunking = {
  chunkSeconds: z.number().max(3600).nullable().default(null).refine((n) => n === null || n === 0 || n >= 2, 'chunkSeconds is 0 (never chunk) or at least 2 seconds'),
};

export const webParams = z.object({ ...videoEncode, ...chunking, remuxWhenCompliant: z.boolean().default(true), encoder: webEncoder.default('libx264') }).strict();
export const hlsParams = z.object({ ...videoEncode, ...chunking, segmentSec: z.number().min(0.5).max(30).default(4) }).strict();
/** `height` is the rendition's short side: a 1080 rung of a portrait video is 1080x1920. */
export const rendition = z.object({ height: z.number().int().min(16).max(8640), videoKbps: z.number().int().min(50).max(200_000) }).strict();
export const ladderParams = z
  .object({
    renditions: z
      .array(rendition)
      .min(1)
      .max(8)
      .default([
        { height: 1080, videoKbps: 5000 },
        { height: 720, videoKbps: 2800 },
        { height: 480, videoKbps: 1400 },
      ])
      .refine((r) => new Set(r.map((x) => x.height)).size === r.length, 'each rendition needs its own height'),
    x264Preset: x264Preset.default('veryfast'),
    segmentSec: z.number().min(0.5).max(30).default(4),
    audioKbps: z.number().int().min(16).max(640).default(128),
  })
  .strict();
export const audioParams = z
  .object({
    format: z.enum(['m4a', 'mp3']).default('m4a'),
    copyWhenPossible: z.boolean().default(true),
    bitrateKbps: z.number().int().min(16).max(640).default(160),
  })
  .strict();
export const thumbnailParams = z
  .object({
    /** Seconds into the video; null picks 10 % of the duration (past intros and black frames). */
    atSec: z.number().min(0).nullable().default(null),
    /** The long side in pixels (a 16:9 frame is 640x360, a portrait one 360x640); never larger than the video. */
    width: z.number().int().min(16).max(3840).default(640),
  })
  .strict();
export const spriteParams = z
  .object({
    /** At most this many tiles; the interval between them follows from the duration (library's rule). */
    maxTiles: z.number().int().min(1).max(400).default(100),
    /** A tile's long side in pixels (160x90 landscape, 90x160 portrait). */
    tileWidth: z.number().int().min(16).max(640).default(160),
    columns: z.number().int().min(1).max(20).default(10),
  })
  .strict();
export const concatParams = z.object({ ...videoEncode, copyWhenPossible: z.boolean().default(true) }).strict();
export const watermarkParams = z
  .object({
    ...videoEncode,
    ...chunking,
    imagePath: z.string().min(1, 'choose the watermark image (params.imagePath)').max(4096),
    position: position.default('bottom-right'),
    /** Watermark width as a percentage of the video's width. */
    widthPercent: z.number().min(1).max(100).default(15),
    opacity: z.number().min(0).max(1).default(0.8),
    marginPx: z.number().int().min(0).max(1000).default(16),
  })
  .strict();
export const avatarParams = z
  .object({
    ...videoEncode,
    ...chunking,
    /** 'file': an image or video the owner picked; 'cue-track': the video's saved avatar cues, baked in. */
    source: z.enum(['file', 'cue-track']).default('file'),
    file: z.string().min(1).max(4096).nullable().default(null),
    corner: corner.default('bottom-right'),
    /** Picture-in-picture width as a percentage of the video's width. */
    sizePercent: z.number().min(5).max(100).default(25),
    marginPx: z.number().int().min(0).max(1000).default(16),
  })
  .strict();

export const paramSchemas = {
  web: webParams,
  hls: hlsParams,
  ladder: ladderParams,
  audio: audioParams,
  thumbnail: thumbnailParams,
  sprite: spriteParams,
  concat: concatParams,
  watermark: watermarkParams,
  avatar: avatarParams,
} satisfies Record<PresetKind, z.ZodType>;

export type WebParams = z.output<typeof webParams>;
export type HlsParams = z.output<typeof hlsParams>;
export type LadderParams = z.output<typeof ladderParams>;
export type AudioParams = z.output<typeof audioParams>;
export type ThumbnailParams = z.output<typeof thumbnailParams>;
export type SpriteParams = z.output<typeof spriteParams>;
export type ConcatParams = z.output<typeof concatParams>;
export type WatermarkParams = z.output<typeof watermarkParams>;
export type AvatarParams = z.output<typeof avatarParams>;
export type Rendition = z.output<typeof rendition>;

/** A preset file: the kind decides which builder runs; params are that kind's (partial: defaults fill in). */
export const presetFileSchema = z
  .object({
    name: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    kind: z.enum(['web', 'hls', 'ladder', 'audio', 'thumbnail', 'sprite', 'concat', 'watermark', 'avatar']),
    description: z.string().max(500).default(''),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type PresetFile = z.output<typeof presetFileSchema>;

/** The params of each kind after validation, as a tagged union the builders switch on. */
export type ResolvedPreset =
  | { kind: 'web'; params: WebParams }
  | { kind: 'hls'; params: HlsParams }
  | { kind: 'ladder'; params: LadderParams }
  | { kind: 'audio'; params: AudioParams }
  | { kind: 'thumbnail'; params: ThumbnailParams }
  | { kind: 'sprite'; params: SpriteParams }
  | { kind: 'concat'; params: ConcatParams }
  | { kind: 'watermark'; params: WatermarkParams }
  | { kind: 'avatar'; params: AvatarParams };

function describeIssue(e: z.ZodError): string {
  const first = e.issues[0];
  return first ? `${first.path.join('.') || 'params'}: ${first.message}` : 'invalid';
}

/** Merges overrides into a preset's params and validates them against its kind; throws a readable Error. */
export function resolveParams(kind: PresetKind, base: Record<string, unknown>, overrides: Record<string, unknown> = {}): ResolvedPreset {
  const merged = { ...base, ...overrides };
  const parsed = paramSchemas[kind].safeParse(merged);
  if (!parsed.success) throw new Error(`preset parameter ${describeIssue(parsed.error)}`);
  return { kind, params: parsed.data } as ResolvedPreset;
}

export { describeIssue };
