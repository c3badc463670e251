import { lazy, useEffect } from 'react';
import { QueueForVideos, resetQueueForm } from '../features/jobs/QueueForVideos';
import { useJobs } from '../features/jobs/store';
import { LibraryScreen } from '../features/library/LibraryScreen';

// The detail pane carries video.js (most of the bundle): loaded on first open, so the grid paints sooner.
const VideoDetail = lazy(() => import('../features/preview/VideoDetail').then((m) => ({ default: m.VideoDetail })));

/** The Library screen with the preview feature's video view and the jobs feature's queue control. */
export function LibraryPage() {
  // The selection bar queues with these presets: loaded with the screen, so the picker is ready when it shows.
  // Its choices last as long as the screen.
  useEffect(() => {
    void useJobs.getState().loadPresets();
    return resetQueueForm;
  }, []);
  return <LibraryScreen VideoDetail={VideoDetail} QueueControl={QueueForVideos} />;
}
