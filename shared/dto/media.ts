/** What the renderer may ask the media protocol for: a kind of library item and its numeric id. */
export const MEDIA_KINDS = ['video', 'asset', 'poster', 'sprite', 'avatar'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export interface MediaRef {
  kind: MediaKind;
  id: number;
  /** A file inside the item's own folder (e.g. "720p/segment_003.ts" of an HLS output); never a path out of it. */
  file?: string;
}
