import { useEffect, useState } from 'react';
import type { DerivedOutput, VideoDetail } from '../../../../shared/dto/library';
import { formatBytes } from '../../lib/format';
import { mediaUrl } from '../../lib/media';
import { parseMasterRenditions } from './hlsMaster';
import { usePreview, type PlaySource } from './store';

/** The original and each derived output, with what it holds and a button to play it in the player above. */
export function VideoOutputs({ video }: { video: VideoDetail }) {
  const source = usePreview((s) => s.source);
  const setSource = usePreview((s) => s.setSource);
  return (
    <>
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
    </>
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
