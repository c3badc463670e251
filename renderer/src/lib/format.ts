import { clockTime } from '../../../shared/format/clock';

/** 75.4 → "1:15", 3725 → "1:02:05". */
export function formatDuration(sec: number | null | undefined): string {
  return sec == null || !Number.isFinite(sec) ? '–:––' : clockTime(sec);
}

/** The badge people read: 4K, 1080p, 720p… from the display size (after rotation). */
export function resolutionBadge(width: number | null | undefined, height: number | null | undefined): string | null {
  if (!width || !height) return null;
  const short = Math.min(width, height);
  if (short >= 2160) return '4K';
  if (short >= 1440) return '1440p';
  if (short >= 1080) return '1080p';
  if (short >= 720) return '720p';
  if (short >= 480) return '480p';
  return `${short}p`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 && i ? 1 : 0)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
