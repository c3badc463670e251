import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VideoDetail as VideoDetailDto } from '../../../../shared/dto/library';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { mediaUrl } from '../../lib/media';
import { AvatarOverlay } from './AvatarOverlay';
import { CueTimeline } from './CueTimeline';
import { OverlayControls } from './OverlayControls';
import { Player, type PlayerSource, type VjsPlayer } from './Player';
import { loadLoudness, usePreview, type PlaySource } from './store';
import { usePlayerKeys, usePlayheadReport, useLiveAvatarEvents } from './usePlayerEffects';
import { useSeekPreview } from './useSeekPreview';
import { VideoInfo } from './VideoInfo';
import './preview.css';

function mimeOf(container: string | null): string {
  if (container && /webm|matroska/.test(container)) return 'video/webm';
  if (container && /ogg/.test(container)) return 'video/ogg';
  return 'video/mp4';
}

/** The URL and type video.js needs for what the owner chose to play; HLS goes through video.js's VHS engine. */
export function playerSource(video: VideoDetailDto, source: PlaySource, presets: PresetInfo[]): PlayerSource {
  const output = source.kind === 'output' ? video.outputs.find((o) => o.id === source.outputId) : undefined;
  if (!output) return { src: mediaUrl('video', video.id), type: mimeOf(video.container) };
  if (output.kind === 'hls') {
    // A bitrate ladder writes master.m3u8; a single-rendition HLS package writes index.m3u8.
    const ladder = presets.find((p) => p.name === output.preset)?.kind === 'ladder';
    return { src: mediaUrl('asset', output.id, ladder ? 'master.m3u8' : 'index.m3u8'), type: 'application/x-mpegURL' };
  }
  return { src: mediaUrl('asset', output.id), type: output.kind === 'audio' ? 'audio/mp4' : 'video/mp4' };
}

/**
 * The player's widest size: as tall as the page allows, and in the quick pane at most half the window's height,
 * so a portrait clip's actions stay in view instead of below a poster taller than the window.
 */
function stageMaxWidth(layout: 'pane' | 'page', ratio: number): string {
  return layout === 'page' ? `calc((100vh - 240px) * ${ratio})` : `max(240px, calc(50vh * ${ratio}))`;
}

/**
 * One video: player with the avatar overlay, cue editor, curation and facts, outputs, presets. As the quick
 * pane beside the grid everything stacks; as the video page the player is large with the cue timeline under it
 * at full width, and curation and facts sit in a side column.
 */
export function DetailPane({ videoId, onClose, layout = 'pane', onOpenPage }: { videoId: number; onClose(): void; layout?: 'pane' | 'page'; onOpenPage?(): void }) {
  // Narrow reads: the pane must not re-render for every cue or playhead report (the overlay draws cues itself).
  const { video, error, presets, source, settings, load, loudness, hasCues } = usePreview(
    useShallow((s) => ({ video: s.video, error: s.error, presets: s.presets, source: s.source, settings: s.settings, load: s.load, loudness: s.loudness, hasCues: s.cues.length > 0 })),
  );
  const lipSync = settings?.lipSync === true;
  useEffect(() => {
    if (lipSync && usePreview.getState().loudness === null) void loadLoudness(videoId);
  }, [lipSync, videoId]);
  const [player, setPlayer] = useState<VjsPlayer | null>(null);

  useEffect(() => {
    void load(videoId);
  }, [videoId, load]);
  useLiveAvatarEvents(player, videoId);
  usePlayheadReport(player, videoId);
  useSeekPreview(player, videoId);
  usePlayerKeys(player, layout);

  const src = useMemo(() => (video ? playerSource(video, source, presets) : null), [video, source, presets]);

  if (error) {
    return (
      <div className="pv-detail empty-state" data-testid="video-detail">
        <p>{error}</p>
        <button className="button secondary" onClick={onClose}>
          Close
        </button>
      </div>
    );
  }
  if (!video || !src) return <div className="pv-detail muted" data-testid="video-detail">Loading…</div>;

  const frame = { width: video.width ?? 1280, height: video.height ?? 720 };
  const fps = video.probe?.streams.find((s) => s.type === 'video' && !s.attachedPic)?.fps ?? null;
  // The overlay shows when there is something to animate: a cue track, or cues arriving from an agent (they
  // join `cues`); the owner's off switch (settings.visible, stored in main) wins.
  const showAvatar = !!settings && settings.visible && hasCues;
  const stage = (
    <div className="pv-stage" style={{ maxWidth: stageMaxWidth(layout, frame.width / frame.height), marginInline: 'auto' }} data-testid="player-stage">
      <Player source={src} aspect={video.width && video.height ? `${video.width}:${video.height}` : null} onPlayer={setPlayer} />
      {player && settings && showAvatar && (
        <AvatarOverlay player={player} settings={settings} frame={frame} fps={fps} loudness={loudness} videoId={video.id} />
      )}
    </div>
  );
  const timeline = (
    <CueTimeline
      duration={video.durationSec ?? 0}
      onSeek={(t) => {
        player?.currentTime(t);
        usePreview.getState().setTime(t);
      }}
    />
  );
  if (layout === 'page') {
    return (
      <div className="vp-body" data-testid="video-detail" data-avatar={showAvatar ? 'on' : 'off'}>
        <header className="vp-head">
          <button className="button secondary small" onClick={onClose} title="Back to the library (Esc)" data-testid="page-back">
            ← Back
          </button>
          <h1 title={video.title}>{video.title}</h1>
          <span className="badge">{video.tier}</span>
        </header>
        <div className="vp-main">
          {stage}
          <p className="muted small vp-keys">Space/K play · J/L −/+10 s · ←/→ one frame · F fullscreen · Esc back</p>
          {timeline}
          <OverlayControls />
        </div>
        <aside className="vp-side" aria-label="Curation and facts">
          <VideoInfo key={video.id} video={video} presets={presets} />
        </aside>
      </div>
    );
  }
  return (
    <div className="pv-detail" data-testid="video-detail" data-avatar={showAvatar ? 'on' : 'off'}>
      <header className="pv-head">
        <h2 title={video.title}>{video.title}</h2>
        <span className="badge">{video.tier}</span>
        {onOpenPage && (
          <button className="button ghost small" onClick={onOpenPage} title="Open the video page (Enter or double-click)" data-testid="open-page">
            ⤢ Page
          </button>
        )}
      </header>
      {stage}
      <OverlayControls />
      {timeline}
      <VideoInfo key={video.id} video={video} presets={presets} />
    </div>
  );
}
