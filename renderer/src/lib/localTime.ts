/**
 * A moment as the rest of the studio shows it: the locale's own date and time (Date.toLocaleString), never an
 * ISO string, so one screen never mixes "12/7/2026, 5:23:10 PM" with "2026-12-07T17:23:10Z".
 */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
