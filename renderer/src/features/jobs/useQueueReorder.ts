import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { Job } from '../../../../shared/dto/jobs';
import { useJobs } from './store';

/** Where a job moved to, for the screen reader: "Job #5 moved to place 1 of 3". */
export type MoveNote = string;

/**
 * Reordering the queued jobs by drag and by keyboard (Alt+Up / Alt+Down on a focused row). A move asks the engine
 * (jobs.move), so the order shown is the order run; focus stays on the moved row.
 */
export function useQueueReorder(queued: Job[]) {
  const move = useJobs((s) => s.move);
  const dragged = useRef<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [focusId, setFocusId] = useState<number | null>(null);
  const [note, setNote] = useState<MoveNote>('');
  const ids = queued.map((j) => j.id);

  // After the list re-renders in its new order, focus the row that moved (moving a focused node blurs it).
  useEffect(() => {
    if (focusId === null) return;
    document.querySelector<HTMLElement>(`[data-testid="job-row"][data-job-id="${focusId}"]`)?.focus();
    const at = ids.indexOf(focusId);
    if (at >= 0) setNote(`Job #${focusId} moved to place ${at + 1} of ${ids.length}.`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the order changes
  }, [ids.join(',')]);

  /** Moves `id` to index `to` of the queue as it is now. */
  const moveTo = (id: number, to: number) => {
    const from = ids.indexOf(id);
    if (from < 0 || to < 0 || to >= ids.length || to === from) return;
    const rest = ids.filter((x) => x !== id);
    setFocusId(id);
    void move(id, rest[to] ?? null);
  };

  const rowProps = (job: Job) => ({
    draggable: true,
    tabIndex: 0,
    onDragStart: (e: DragEvent) => {
      dragged.current = job.id;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', String(job.id));
    },
    onDragOver: (e: DragEvent) => {
      if (dragged.current === null) return;
      e.preventDefault();
      setOver(job.id);
    },
    onDragLeave: () => setOver((o) => (o === job.id ? null : o)),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      const id = dragged.current;
      dragged.current = null;
      setOver(null);
      if (id !== null) moveTo(id, ids.indexOf(job.id));
    },
    onDragEnd: () => {
      dragged.current = null;
      setOver(null);
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || e.target !== e.currentTarget) return;
      e.preventDefault();
      moveTo(job.id, ids.indexOf(job.id) + (e.key === 'ArrowUp' ? -1 : 1));
    },
    'data-drop-target': over === job.id ? 'true' : undefined,
  });

  return { rowProps, note };
}
