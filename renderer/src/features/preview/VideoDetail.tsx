import { lazy, Suspense } from 'react';

// video.js (with its HLS engine) is most of the preview's weight: load it when a video is first opened, so the
// Library's first paint does not wait for it.
const DetailPane = lazy(() => import('./DetailPane').then((m) => ({ default: m.DetailPane })));

/** The detail/preview pane of one video: video.js player, avatar overlay and cue editor, metadata, outputs. */
export function VideoDetail(props: { videoId: number; onClose(): void; layout?: 'pane' | 'page'; onOpenPage?(): void }) {
  return (
    <Suspense fallback={<div className="muted pv-loading">Loading the player…</div>}>
      <DetailPane {...props} />
    </Suspense>
  );
}
