/** Placeholder: the detail/preview pane of one video (video.js player, avatar overlay, metadata, outputs). */
export function VideoDetail(_props: { videoId: number; onClose(): void }) {
  return null;
}
