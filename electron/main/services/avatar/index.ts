/** Placeholder until avatar cue tracks land. */
export class AvatarService {
  /**
   * Renders a video's saved cue track as an overlay input for ffmpeg (an ffconcat list of transparent PNG frames
   * with their durations), sized for the output; null when the video has no cue track. The job engine's
   * avatar-overlay preset bakes it, so a file shows what the live overlay showed.
   */
  async renderCueOverlay(
    _videoId: number,
    _opts: { width: number; height: number; durationSec: number; workDir: string },
  ): Promise<{ path: string; format: 'concat' } | null> {
    return null;
  }
}
