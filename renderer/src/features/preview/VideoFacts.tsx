import type { VideoDetail } from '../../../../shared/dto/library';
import { containerName, hdrName, streamWords, videoCodecWords } from '../../../../shared/format/mediaFacts';
import { formatBytes, formatDuration } from '../../lib/format';

const rate = (bps: number | null) => (bps ? `${Math.round(bps / 1000)} kb/s` : '—');

/** What the file is: duration, picture, codecs, HDR, rotation, container, size and every stream. */
export function VideoFacts({ video }: { video: VideoDetail }) {
  const vStream = video.probe?.streams.find((x) => x.type === 'video' && !x.attachedPic);
  const aStream = video.probe?.streams.find((x) => x.type === 'audio');
  const hdr = hdrName(vStream?.colorTransfer);
  return (
    <>
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
    </>
  );
}
