/** One rendition of an HLS master playlist, named by what it is: its short side, and its shape. */
export interface MasterRendition {
  width: number;
  height: number;
  label: string;
}

/**
 * The renditions listed in a master playlist (`#EXT-X-STREAM-INF:...RESOLUTION=WxH`), largest first, labelled
 * like the ladder names them: "720p portrait (720×1280)". Lines without a resolution are skipped.
 */
export function parseMasterRenditions(text: string): MasterRendition[] {
  const out: MasterRendition[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) continue;
    const m = /RESOLUTION=(\d+)x(\d+)/.exec(line);
    if (!m) continue;
    const width = Number(m[1]);
    const height = Number(m[2]);
    const shape = width === height ? ' square' : height > width ? ' portrait' : '';
    out.push({ width, height, label: `${Math.min(width, height)}p${shape} (${width}×${height})` });
  }
  return out.sort((a, b) => Math.min(b.width, b.height) - Math.min(a.width, a.height));
}
