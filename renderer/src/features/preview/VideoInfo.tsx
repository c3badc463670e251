import type { VideoDetail } from '../../../../shared/dto/library';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { call } from '../../lib/api';
import { useToasts } from '../../lib/stores/toasts';
import { VideoCuration } from './VideoCuration';
import { VideoFacts } from './VideoFacts';
import { VideoOutputs } from './VideoOutputs';

/** Metadata, streams, curation (tags, collections, notes, tier), derived outputs and one-click presets of a video. */
export function VideoInfo({ video, presets }: { video: VideoDetail; presets: PresetInfo[] }) {
  const queue = async (preset: PresetInfo) => {
    try {
      const job = await call('jobs.enqueue', { videoId: video.id, preset: preset.name });
      useToasts.getState().push({ level: 'success', message: `Queued ${preset.name} for “${video.title}” (job ${job.id})` });
    } catch {
      // call() showed why
    }
  };

  return (
    <div className="pv-info">
      <VideoFacts video={video} />

      <VideoCuration video={video} />

      <VideoOutputs video={video} />

      {presets.length > 0 && (
        <>
          <h3>Queue a preset</h3>
          <div className="pv-presets" data-testid="presets">
            {presets.map((p) => (
              <button key={p.name} className="button secondary small" title={p.description} onClick={() => void queue(p)} data-testid={`queue-${p.name}`}>
                {p.name}
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
