import { AVATAR_CORNERS, type AvatarCorner } from '../../../../shared/avatar';
import { useState } from 'react';
import { usePreview } from './store';

const CORNER_LABEL: Record<AvatarCorner, string> = { 'top-left': '↖', 'top-right': '↗', 'bottom-left': '↙', 'bottom-right': '↘' };

/** The overlay's look: corner, size, margin, opacity, what it is drawn from. Shared by every video. */
export function OverlayControls() {
  const settings = usePreview((s) => s.settings);
  const setSettings = usePreview((s) => s.setSettings);
  if (!settings) return null;
  return (
    <div className="pv-overlay-controls" data-testid="overlay-controls">
      <label className="pv-check">
        <input type="checkbox" checked={settings.visible} onChange={(e) => void setSettings({ visible: e.target.checked })} data-testid="avatar-visible" />
        Avatar
      </label>
      <label className="pv-check" title="The mouth follows the video's own sound (preview and baked files alike)">
        <input type="checkbox" checked={settings.lipSync} onChange={(e) => void setSettings({ lipSync: e.target.checked })} data-testid="avatar-lipsync" />
        Lip sync
      </label>
      <label className="pv-check" title="The avatar blinks now and then (on the same frames in baked files)">
        <input type="checkbox" checked={settings.blink} onChange={(e) => void setSettings({ blink: e.target.checked })} data-testid="avatar-blink" />
        Blink
      </label>
      <div className="segmented pv-corners" role="radiogroup" aria-label="Avatar corner">
        {AVATAR_CORNERS.map((c) => (
          <button key={c} role="radio" aria-checked={settings.corner === c} className={settings.corner === c ? 'on' : ''} title={c} onClick={() => void setSettings({ corner: c })} data-testid={`corner-${c}`}>
            {CORNER_LABEL[c]}
          </button>
        ))}
      </div>
      <label title="Side of the avatar, % of the picture's shorter side">
        Size
        <input type="range" min={10} max={70} value={settings.sizePct} onChange={(e) => void setSettings({ sizePct: Number(e.target.value) })} data-testid="avatar-size" />
      </label>
      <label title="Gap to the edges, % of the picture's shorter side">
        Margin
        <input type="range" min={0} max={15} value={settings.marginPct} onChange={(e) => void setSettings({ marginPct: Number(e.target.value) })} />
      </label>
      <label>
        Opacity
        <input type="range" min={10} max={100} value={Math.round(settings.opacity * 100)} onChange={(e) => void setSettings({ opacity: Number(e.target.value) / 100 })} />
      </label>
      <FaceSourceControl />
    </div>
  );
}

const SOURCE_LABEL = { builtin: 'built-in face', library: 'a library video\'s frame', image: 'an image file' } as const;

/**
 * What the face is: the built-in drawn face, a frame of a library video (its id and a time), or an image file
 * (its full path). Enter applies; a picture that cannot be had says why beside it.
 */
function FaceSourceControl() {
  const source = usePreview((s) => s.settings!.source);
  const setSettings = usePreview((s) => s.setSettings);
  const error = usePreview((s) => s.faceImageError);
  const [kind, setKind] = useState<keyof typeof SOURCE_LABEL>(source.kind);
  const [id, setId] = useState(source.kind === 'library' ? String(source.videoId) : '');
  const [at, setAt] = useState(source.kind === 'library' ? String(source.atSec ?? 0) : '0');
  const [path, setPath] = useState(source.kind === 'image' ? source.path : '');
  const apply = () => {
    if (kind === 'builtin') return void setSettings({ source: { kind: 'builtin' } });
    if (kind === 'image') return void (path.trim() && setSettings({ source: { kind: 'image', path: path.trim() } }));
    const videoId = Number(id);
    if (Number.isInteger(videoId) && videoId > 0) void setSettings({ source: { kind: 'library', videoId, atSec: Math.max(0, Number(at) || 0) } });
  };
  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') apply();
  };
  return (
    <label title="The built-in face, or a picture in its place: a library video's frame at a time, or an image file (the eyes still blink and the mouth still speaks on it)">
      Face
      <select
        className="input"
        value={kind}
        onChange={(e) => {
          const next = e.target.value as keyof typeof SOURCE_LABEL;
          setKind(next);
          if (next === 'builtin') void setSettings({ source: { kind: 'builtin' } });
        }}
        data-testid="face-source"
      >
        {Object.entries(SOURCE_LABEL).map(([k, label]) => (
          <option key={k} value={k}>
            {label}
          </option>
        ))}
      </select>
      {kind === 'library' && (
        <>
          <input className="input pv-num" type="number" min={1} placeholder="id" title="Library id of the video" value={id} onChange={(e) => setId(e.target.value)} onKeyDown={onEnter} data-testid="face-video-id" />
          <input className="input pv-num" type="number" min={0} step={0.1} title="Seconds into the video: the frame used as the face" value={at} onChange={(e) => setAt(e.target.value)} onKeyDown={onEnter} data-testid="face-video-at" />
          s
        </>
      )}
      {kind === 'image' && <input className="input" placeholder="/full/path/to/face.png" value={path} onChange={(e) => setPath(e.target.value)} onKeyDown={onEnter} data-testid="face-image-path" />}
      {kind !== 'builtin' && (
        <button className="button secondary small" onClick={apply} data-testid="face-apply">
          Use
        </button>
      )}
      {error && <span className="error small" role="alert">{error}</span>}
    </label>
  );
}
