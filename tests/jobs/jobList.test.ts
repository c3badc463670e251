import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../shared/dto/jobs';
import { openDatabase, type Db } from '../../electron/platform/db';
import { JobStore } from '../../electron/domains/jobs/JobStore';
import { tempDir } from '../helpers/tempDir';

const dir = tempDir('church-joblist-');

function store(name: string): { db: Db; jobs: JobStore } {
  const db = openDatabase(join(dir, `${name}.sqlite`));
  return { db, jobs: new JobStore(db) };
}

function add(db: Db, jobs: JobStore, status: JobStatus, priority = 0): number {
  const j = jobs.insert({ videoId: 1, extraVideoIds: [], preset: 'web', kind: 'web', priority, params: {}, inputPath: '/in.mp4', outDir: '/out', outputPath: '/out/x.mp4', plan: null });
  // Straight to the status: the list reads rows, not the transitions that made them.
  db.prepare('UPDATE jobs SET status = ? WHERE id = ?').run(status, j.id);
  return j.id;
}

describe('the Jobs list (jobs.list)', () => {
  it('shows running and paused jobs newest first, then the queue in its running order, then the newest others', () => {
    const { db, jobs } = store('order');
    const done1 = add(db, jobs, 'done');
    const q1 = add(db, jobs, 'queued');
    const run1 = add(db, jobs, 'running');
    const failed = add(db, jobs, 'failed');
    const qHigh = add(db, jobs, 'queued', 5);
    const paused = add(db, jobs, 'paused');
    const q2 = add(db, jobs, 'queued');
    const cancelled = add(db, jobs, 'cancelled');
    const interrupted = add(db, jobs, 'interrupted');
    const run2 = add(db, jobs, 'running');
    expect(jobs.list().map((j) => j.id)).toEqual([run2, paused, run1, qHigh, q1, q2, interrupted, cancelled, failed, done1]);
    expect(jobs.list({ limit: 4 }).map((j) => j.id)).toEqual([run2, paused, run1, qHigh]);
    expect(jobs.list({ limit: 7 }).map((j) => j.id)).toEqual([run2, paused, run1, qHigh, q1, q2, interrupted]);
    expect(jobs.list({ status: 'queued', limit: 2 }).map((j) => j.id)).toEqual([q2, qHigh]);
  });

  it('reads only index ranges, so a queue of 10,000 jobs or a long history is not scanned and sorted at every call', () => {
    const { db, jobs } = store('plan');
    for (const s of ['queued', 'running', 'done', 'failed'] as const) add(db, jobs, s);
    // Every statement list() prepares, as SQLite plans it: the old single ORDER BY over the table planned
    // "SCAN jobs" and "USE TEMP B-TREE FOR ORDER BY".
    const statements: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    jobs.list();
    jobs.list({ status: 'done' });
    db.prepare = prepare;
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      const params = (sql.match(/\?/g) ?? []).map((_, i) => (i === 0 && sql.includes('status = ?') ? 'done' : 200));
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail);
      expect(plan.join(' | '), sql).not.toMatch(/SCAN jobs|TEMP B-TREE/);
    }
  });
});
