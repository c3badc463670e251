import { useEffect, useState } from 'react';
import type { Job } from '../../../../shared/dto/jobs';

/** When it started, in the locale's time (with the date when it was not today). */
export function startedText(iso: string | null, now = new Date()): string {
  if (!iso) return 'not started';
  const d = new Date(iso);
  const today = d.toDateString() === now.toDateString();
  return today ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** A duration as a person reads it: "42 s", "3 min 05 s", "1 h 02 min". */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** How long it ran (finished) or has been running (now). */
export function elapsedMs(job: Job, now: number): number | null {
  if (!job.startedAt) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return end - Date.parse(job.startedAt);
}

/** The current time, ticking once a second while `live` (running rows only, so idle lists do not re-render). */
export function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return now;
}
