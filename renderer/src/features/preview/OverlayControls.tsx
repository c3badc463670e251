import { AVATAR_CORNERS, type AvatarCorner } from '../../../../shared/avatar';
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
      <label title="The built-in face, or a library video shown in the avatar's place (enter its library id)">
        Drawn from
        <select
          className="input"
          value={settings.source.kind}
          onChange={(e) => {
            if (e.target.value === 'builtin') void setSettings({ source: { kind: 'builtin' } });
          }}
        >
          <option value="builtin">built-in face</option>
          <option value="library" disabled={settings.source.kind !== 'library'}>
            {settings.source.kind === 'library' ? `library video #${settings.source.videoId}` : 'library video (enter id)'}
          </option>
        </select>
        <input
          className="input pv-num"
          type="number"
          min={1}
          placeholder="id"
          title="Library id of a video to show instead of the face"
          onKeyDown={(e) => {
            const id = Number((e.target as HTMLInputElement).value);
            if (e.key === 'Enter' && Number.isInteger(id) && id > 0) void setSettings({ source: { kind: 'library', videoId: id } });
          }}
        />
      </label>
    </div>
  );
}
