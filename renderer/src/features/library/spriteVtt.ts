/** One tile of a scrub sprite sheet: the time range it stands for and where it sits in sprite.jpg. */
export interface SpriteCue {
  start: number;
  end: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SpriteSheet {
  cues: SpriteCue[];
  /** The sheet's size, from the outermost tile (saves loading the image to learn it). */
  width: number;
  height: number;
}

const TIME = /(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)/;

function seconds(text: string): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Parses the WebVTT the library writes next to sprite.jpg (`…#xywh=x,y,w,h`); malformed cues are skipped. */
export function parseSpriteVtt(text: string): SpriteSheet {
  const cues: SpriteCue[] = [];
  const blocks = text.replace(/\r/g, '').split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split('\n').map((l) => l.trim());
    const timing = lines.findIndex((l) => l.includes('-->'));
    if (timing < 0) continue;
    const [a, b] = lines[timing]!.split('-->');
    const start = seconds(a ?? '');
    const end = seconds(b ?? '');
    const xywh = /#xywh=(\d+),(\d+),(\d+),(\d+)/.exec(lines.slice(timing + 1).join(' '));
    if (start === null || end === null || !xywh) continue;
    cues.push({ start, end, x: Number(xywh[1]), y: Number(xywh[2]), w: Number(xywh[3]), h: Number(xywh[4]) });
  }
  cues.sort((p, q) => p.start - q.start);
  return {
    cues,
    width: cues.reduce((m, c) => Math.max(m, c.x + c.w), 0),
    height: cues.reduce((m, c) => Math.max(m, c.y + c.h), 0),
  };
}

/** The tile for a position given as a fraction (0..1) of the video's length. */
export function cueAt(sheet: SpriteSheet, fraction: number): SpriteCue | null {
  if (!sheet.cues.length) return null;
  const total = sheet.cues.at(-1)!.end;
  const t = Math.min(Math.max(fraction, 0), 0.9999) * total;
  // Cues are few (dozens): a linear scan is cheaper than anything clever.
  return sheet.cues.find((c) => t >= c.start && t < c.end) ?? sheet.cues.at(-1)!;
}

const cache = new Map<string, Promise<SpriteSheet | null>>();

/** Loads and parses a sprite.vtt once per URL; null when the video has no sprite (yet). */
export function loadSpriteSheet(url: string): Promise<SpriteSheet | null> {
  let p = cache.get(url);
  if (!p) {
    p = fetch(url, { credentials: 'same-origin' })
      .then(async (r) => (r.ok ? parseSpriteVtt(await r.text()) : null))
      .then((s) => (s && s.cues.length ? s : null))
      .catch(() => null);
    cache.set(url, p);
    // A missing sprite may be generated later; forget the miss after a while.
    void p.then((s) => {
      if (!s) setTimeout(() => cache.delete(url), 30_000);
    });
  }
  return p;
}
