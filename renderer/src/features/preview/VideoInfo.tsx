import { useEffect, useState } from 'react';
import { ACCESS_TIERS, type AccessTier, type DerivedOutput, type VideoDetail } from '../../../../shared/dto/library';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import { useToasts } from '../../lib/stores/toasts';
import { call } from '../../lib/api';
import { containerName, hdrName, streamWords, videoCodecWords } from '../../../../shared/format/mediaFacts';
import { FavouriteToggle, RatingInput } from '../../ui/Rating';
import { formatBytes, formatDuration } from '../../lib/format';
import { mediaUrl } from '../../lib/media';
import { parseMasterRenditions } from './hlsMaster';
import { usePreview, type PlaySource } from './store';
import { VideoCollections } from './VideoCollections';

const rate = (bps: number | null) => (bps ? `${Math.round(bps / 1000)} kb/s` : '—');

/** Metadata, streams, curation (tags, collections, notes, tier), derived outputs and one-click presets of a video. */
export function VideoInfo({ video, presets }: { video: VideoDetail; presets: PresetInfo[] }) {
  const source = usePreview((s) => s.source);
  const setSource = usePreview((s) => s.setSource);
  const reload = usePreview((s) => s.reloadVideo);
  const [notes, setNotes] = useState(video.notes);
  const [tagText, setTagText] = useState('');

  const [title, setTitle] = useState(video.title);
  const update = async (patch: { notes?: string; tier?: AccessTier; tags?: string[]; rating?: number; favourite?: boolean; title?: string }) => {
    try {
      await call('library.update', { id: video.id, patch });
      await reload();
    } catch {
      // call() showed why
    }
  };
  const queue = async (preset: PresetInfo) => {
    try {
      const job = await call('jobs.enqueue', { videoId: video.id, preset: preset.name });
      useToasts.getState().push({ level: 'success', message: `Queued ${preset.name} for “${video.title}” (job ${job.id})` });
    } catch {
      // call() showed why
    }
  };

  const vStream = video.probe?.streams.find((x) => x.type === 'video' && !x.attachedPic);
  const aStream = video.probe?.streams.find((x) => x.type === 'audio');
  const hdr = hdrName(vStream?.colorTransfer);
  return (
    <div className="pv-info">
      <dl className="facts pv-facts">
        <dt>Duration</dt>
        <dd>{formatDuration(video.durationSec)}</dd>
        <dt>Picture</dt>
        <dd data-testid="fact-picture">{video.width && video.height ? `${video.width}×${video.height}${video.height > video.width ? ' portrait' : ''}` : '—'}</dd>
        <dt>Video</dt>
        <dd data-testid="fact-video">{vStream ? videoCodecWords(vStream) : '—'}</dd>
        {hdr && (
          <>
            <dt>HDR</dt>
            <dd data-testid="fact-hdr">{hdr}</dd>
          </>
        )}
        {vStream?.rotation ? (
          <>
            <dt>Rotation</dt>
            <dd data-testid="fact-rotation">{vStream.rotation}° (applied when played)</dd>
          </>
        ) : null}
        <dt>Audio</dt>
        <dd>{aStream ? streamWords(aStream) : 'none'}</dd>
        <dt>Container</dt>
        <dd data-testid="fact-container" title={video.container ?? undefined}>
          {containerName(video.container, video.fileName)}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(video.sizeBytes)} · {rate(video.bitRate)}
        </dd>
        <dt>File</dt>
        <dd className="mono" title={video.path}>
          {video.fileName}
        </dd>
      </dl>

      {video.probe && video.probe.streams.length > 0 && (
        <table className="table pv-streams" data-testid="streams">
          <thead>
            <tr>
              <th>#</th>
              <th>type</th>
              <th>details</th>
            </tr>
          </thead>
          <tbody>
            {video.probe.streams.map((s) => (
              <tr key={s.index}>
                <td>{s.index}</td>
                <td>{s.type}</td>
                <td className="muted">{streamWords(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="pv-curation">
        <input
          className="input pv-title-input"
          aria-label="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          onBlur={() => title.trim() && title !== video.title && void update({ title: title.trim() })}
          data-testid="detail-title"
        />
        <div className="pv-rate-row">
          <RatingInput rating={video.rating} onRate={(rating) => void update({ rating })} size="large" testId="detail-rating" starTestId="detail-rate" />
          <FavouriteToggle favourite={video.favourite} onToggle={(favourite) => void update({ favourite })} testId="detail-fav" />
        </div>
        <label>
          Tier
          <select className="input" value={video.tier} onChange={(e) => void update({ tier: e.target.value as AccessTier })} data-testid="detail-tier">
            {ACCESS_TIERS.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <div className="pv-tags" data-testid="detail-tags">
          {video.tags.map((t) => (
            <span key={t} className="badge pv-tag">
              {t}
              <button className="icon-button" aria-label={`Remove tag ${t}`} onClick={() => void update({ tags: video.tags.filter((x) => x !== t) })}>
                ×
              </button>
            </span>
          ))}
          <input
            className="input pv-tag-input"
            placeholder="add tag ⏎"
            value={tagText}
            onChange={(e) => setTagText(e.target.value)}
            onKeyDown={(e) => {
              const tag = tagText.trim();
              if (e.key === 'Enter' && tag) {
                setTagText('');
                void update({ tags: [...new Set([...video.tags, tag])] });
              }
            }}
          />
        </div>
        <VideoCollections video={video} onChanged={reload} />
        <textarea
          className="input pv-notes"
          placeholder="Notes"
          value={notes}
          rows={2}
          onChange={(e) => setNotes(e.target.value)}
          onBlur={() => notes !== video.notes && void update({ notes })}
        />
      </div>

      <h3>Outputs</h3>
      {video.outputs.length === 0 ? (
        <p className="muted small">Nothing derived yet: queue a preset below; finished outputs appear here and can be played.</p>
      ) : (
        <ul className="pv-outputs" data-testid="outputs">
          <OutputItem current={source} onPlay={setSource} output={null} />
          {video.outputs.map((o) => (
            <OutputItem key={o.id} current={source} onPlay={setSource} output={o} />
          ))}
        </ul>
      )}

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

/** For an HLS folder with a master playlist: its renditions as they are ("720p portrait (720×1280)"). */
function useRenditions(output: DerivedOutput | null): string | null {
  const [labels, setLabels] = useState<string | null>(null);
  const hls = output?.kind === 'hls' && output.exists;
  const id = output?.id;
  useEffect(() => {
    if (!hls || id === undefined) return;
    let live = true;
    fetch(mediaUrl('asset', id, 'master.m3u8'))
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => {
        const found = parseMasterRenditions(text);
        if (live && found.length) setLabels(found.map((r) => r.label).join(' · '));
      })
      .catch(() => undefined); // a single-rendition HLS folder has no master playlist
    return () => {
      live = false;
    };
  }, [hls, id]);
  return labels;
}

function OutputItem({ output, current, onPlay }: { output: DerivedOutput | null; current: PlaySource; onPlay(s: PlaySource): void }) {
  const renditions = useRenditions(output);
  const playing = output === null ? current.kind === 'original' : current.kind === 'output' && current.outputId === output.id;
  const playable = output === null || (output.exists && (output.kind === 'video' || output.kind === 'hls' || output.kind === 'audio'));
  return (
    <li className={playing ? 'on' : ''}>
      <span className="badge">{output ? output.kind : 'original'}</span>
      <span>
        {output ? output.preset : 'as imported'}
        {renditions && (
          <span className="muted small pv-renditions" data-testid="output-renditions">
            {' '}
            {renditions}
          </span>
        )}
      </span>
      <span className="muted small">{output ? (output.exists ? formatBytes(output.sizeBytes) : 'missing on disk') : ''}</span>
      <span className="pv-grow" />
      {playable && (
        <button className="button ghost small" disabled={playing} onClick={() => onPlay(output ? { kind: 'output', outputId: output.id } : { kind: 'original' })}>
          {playing ? 'playing' : '▶ play'}
        </button>
      )}
    </li>
  );
}
