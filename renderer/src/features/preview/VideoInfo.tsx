import type { VideoDetail } from '../../../../shared/dto/library';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { PresetQueue } from './PresetQueue';
import { VideoCuration } from './VideoCuration';
import { VideoFacts } from './VideoFacts';
import { VideoOutputs } from './VideoOutputs';

/** Metadata, streams, curation (tags, collections, notes, tier), derived outputs and one-click presets of a video. */
export function VideoInfo({ video, presets }: { video: VideoDetail; presets: PresetInfo[] }) {
  return (
    <div className="pv-info">
      <VideoFacts video={video} />

      <VideoCuration video={video} />

      <VideoOutputs video={video} />

      {presets.length > 0 && <PresetQueue video={video} presets={presets} />}
    </div>
  );
}
