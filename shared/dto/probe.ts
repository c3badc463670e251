/**
 * What ffprobe tells about one file, normalised. The library stores it; the job engine validates presets and
 * outputs against it. Numbers ffprobe did not report are null, never 0.
 */
export interface ProbeStream {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'data' | 'attachment';
  codec: string | null;
  profile: string | null;
  /** Video only. */
  pixFmt: string | null;
  bitDepth: number | null;
  width: number | null;
  height: number | null;
  /** Display rotation in degrees, normalised to 0, 90, 180 or 270 (side data or the legacy rotate tag). */
  rotation: number;
  /**
   * Sample (pixel) aspect ratio as width/height, present only for non-square pixels (anamorphic DVD/DV/broadcast
   * video); absent means square, as in probes stored before it was read.
   */
  sar?: number;
  /** Transfer characteristics when ffprobe reports them ("smpte2084" = HDR10/PQ, "arib-std-b67" = HLG). */
  colorTransfer?: string;
  /** Average frame rate in frames per second. */
  fps: number | null;
  /** Audio only. */
  sampleRate: number | null;
  channels: number | null;
  language: string | null;
  /** True for cover art / attached pictures: not a playable video stream. */
  attachedPic: boolean;
  bitRate: number | null;
}

export interface ProbeResult {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  durationSec: number | null;
  bitRate: number | null;
  sizeBytes: number;
  streams: ProbeStream[];
  /**
   * The first real (not attached-picture) video stream as shown: non-square pixels applied to the width, then
   * width/height swapped for 90/270 rotation.
   */
  display: { width: number; height: number } | null;
  /** 'video' when a real video stream exists, 'audio' when only audio, else the file is not playable media. */
  kind: 'video' | 'audio';
}
