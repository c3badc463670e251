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
  /** The sheet's size: from the outermost tile when parsed, from the decoded image once loaded. */
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

/**
 * Loads and parses a sprite.vtt once per URL, and decodes its sprite.jpg before answering, so the first tile
 * shows at once instead of a blank frame; null when the video has no sprite (yet).
 */
export function loadSpriteSheet(vttUrl: string, imageUrl: string): Promise<SpriteSheet | null> {
  let p = cache.get(vttUrl);
  if (!p) {
    p = fetch(vttUrl, { credentials: 'same-origin' })
      .then(async (r) => (r.ok ? parseSpriteVtt(await r.text()) : null))
      .then(async (s) => {
        if (!s || !s.cues.length) return null;
        const img = new Image();
        img.src = imageUrl;
        await img.decode();
        // The sheet may be a fixed grid with unused (black) cells: scale by the real image, not by the cues.
        return { ...s, width: img.naturalWidth || s.width, height: img.naturalHeight || s.height };
      })
      .catch(() => null);
    cache.set(vttUrl, p);
    // A missing sprite may be generated later; forget the miss after a while.
    void p.then((s) => {
      if (!s) setTimeout(() => cache.delete(vttUrl), 30_000);
    });
  }
  return p;
}
