import { even, fitLongSide, type Size } from './presets/sizing';

/**
 * ffmpeg argument builders for posters and scrub sprites: pure functions, so tests check them directly and the
 * job engine's thumbnail/sprite presets reuse them. Inputs go through the `file:` protocol so a file name that
 * looks like an option or a URL ("-y.mp4", "http:x.mp4") is still just a file.
 */

/** An input path as ffmpeg must see it: never an option, never a protocol. */
export function ffmpegInput(path: string): string {
  return `file:${path}`;
}

/**
 * Where to take the poster: 10% in, but at least a little after the start (fade-ins are black) and never past
 * the last frame, so a 0.5 s clip still gets one.
 */
export function posterSeekSec(durationSec: number | null, fraction = 0.1): number {
  if (!durationSec || !Number.isFinite(durationSec) || durationSec <= 0) return 0;
  const wanted = durationSec * Math.min(Math.max(fraction, 0), 1);
  // Stay one frame (at 25 fps or slower) away from the end: input seeking lands on the frame at or before.
  const latest = Math.max(0, durationSec - 0.1);
  return Math.round(Math.min(wanted, latest) * 1000) / 1000;
}

export interface PosterArgs {
  input: string;
  output: string;
  seekSec: number;
  /**
   * The source's display size (rotation and non-square pixels applied); the poster keeps its shape with the
   * long side at most `longSide` (never up). Unknown: `longSide` wide, height from the storage aspect.
   */
  display?: Size | null;
  /** Default 640: a 16:9 poster is 640x360, a portrait one 360x640. */
  longSide?: number;
  /** JPEG quality scale 2 (best) – 31. */
  quality?: number;
}

/**
 * One frame with input seeking (`-ss` before `-i`): ffmpeg jumps to the keyframe before the point and
 * decodes from there, so the cost does not grow with the position in the file.
 */
export function buildPosterArgs(o: PosterArgs): string[] {
  const longSide = o.longSide ?? 640;
  const scale = o.display ? (({ width, height }) => `scale=${width}:${height}:flags=bicubic,setsar=1`)(fitLongSide(o.display, longSide)) : `scale=${longSide}:-2:flags=bicubic`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-ss', o.seekSec.toFixed(3),
    '-i', ffmpegInput(o.input),
    '-an', '-sn', '-dn',
    '-frames:v', '1',
    '-vf', scale,
    '-q:v', String(o.quality ?? 3),
    '-f', 'image2', '-update', '1',
    o.output,
  ];
}

export interface SpriteGeometry {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  /** Minimum seconds between two tiles. */
  intervalSec: number;
}

/**
 * Picks the sprite grid for a clip: about one tile per `targetInterval` seconds (more often for short clips),
 * at most `maxTiles`, tiles with the display aspect and their long side `tileWidth` (a portrait tile is as tall
 * as a landscape one is wide; never larger than the video).
 */
export function spriteGeometry(durationSec: number | null, display: { width: number; height: number } | null, opts: { maxTiles?: number; tileWidth?: number; columns?: number } = {}): SpriteGeometry {
  const maxTiles = opts.maxTiles ?? 100;
  const tileWidth = opts.tileWidth ?? 160;
  const d = durationSec && durationSec > 0 ? durationSec : 1;
  const intervalSec = Math.max(d / maxTiles, Math.min(10, d / 10), 0.04);
  const tiles = Math.max(1, Math.min(maxTiles, Math.ceil(d / intervalSec)));
  const columns = Math.min(opts.columns ?? 10, tiles);
  const rows = Math.ceil(tiles / columns);
  const shape = display && display.width > 0 && display.height > 0 ? display : { width: 16, height: 9 };
  const tile = display && display.width > 0 && display.height > 0 ? fitLongSide(shape, tileWidth) : { width: tileWidth, height: even((tileWidth * 9) / 16) };
  return { columns, rows, tileWidth: tile.width, tileHeight: tile.height, intervalSec: Math.round(intervalSec * 1000) / 1000 };
}

/**
 * The whole sprite sheet in one pass over keyframes only (`-skip_frame nokey`: the decoder skips everything
 * else, so this is fast whatever the length): select keyframes at least `intervalSec` apart, scale, log each
 * selected frame's time (showinfo, parsed into the WebVTT) and tile them. An unfilled grid is flushed at the end.
 */
export function buildSpriteArgs(input: string, output: string, g: SpriteGeometry): string[] {
  const filter = [
    `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${g.intervalSec})'`,
    `scale=${g.tileWidth}:${g.tileHeight}:flags=bilinear,setsar=1`,
    'showinfo',
    `tile=${g.columns}x${g.rows}`,
  ].join(',');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'info',
    '-skip_frame', 'nokey',
    '-i', ffmpegInput(input),
    '-an', '-sn', '-dn',
    '-vf', filter,
    '-fps_mode', 'passthrough',
    '-frames:v', '1',
    '-q:v', '4',
    '-f', 'image2', '-update', '1',
    '-y', output,
  ];
}

/** The times (seconds) of the frames showinfo logged, in order. */
export function parseShowinfoTimes(stderr: string): number[] {
  const times: number[] = [];
  for (const m of stderr.matchAll(/Parsed_showinfo[^\n]*?\bpts_time:\s*(-?[0-9.]+)/g)) {
    const t = Number(m[1]);
    if (Number.isFinite(t)) times.push(Math.max(0, t));
  }
  return times;
}

function vttTime(sec: number): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(r, 3)}`;
}

/**
 * WebVTT for the sprite: each tile covers from its frame's time to the next tile's (the last one to the end),
 * and points at its rectangle with a media fragment (`sprite.jpg#xywh=x,y,w,h`).
 */
export function buildSpriteVtt(times: readonly number[], durationSec: number | null, g: SpriteGeometry, imageName = 'sprite.jpg'): string {
  const lines = ['WEBVTT', ''];
  const n = Math.min(times.length, g.columns * g.rows);
  const end = durationSec && durationSec > 0 ? durationSec : (times[n - 1] ?? 0) + g.intervalSec;
  for (let i = 0; i < n; i++) {
    const start = times[i] ?? 0;
    const stop = Math.max(i + 1 < n ? (times[i + 1] ?? end) : end, start + 0.001);
    const x = (i % g.columns) * g.tileWidth;
    const y = Math.floor(i / g.columns) * g.tileHeight;
    lines.push(`${vttTime(start)} --> ${vttTime(stop)}`, `${imageName}#xywh=${x},${y},${g.tileWidth},${g.tileHeight}`, '');
  }
  return lines.join('\n');
}
