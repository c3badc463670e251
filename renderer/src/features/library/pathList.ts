/**
 * Paths typed or pasted by the owner: one per line; blank lines dropped, surrounding whitespace and one pair of
 * matching quotes removed (file managers often copy paths quoted).
 */
export function parsePathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^(['"])(.*)\1$/, '$2'))
    .filter(Boolean);
}
