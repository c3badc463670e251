import type { Job, JobStatus, JobWaiting, NoSpaceMode, PresetKind } from '../../../shared/dto/jobs';
import { ChurchError } from '../../../shared/errors';
import { migrate, type Db, type Migration } from '../../platform/db';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'jobs',
    up: (db) =>
      db.exec(`
        CREATE TABLE jobs (
          id INTEGER PRIMARY KEY,
          video_id INTEGER,
          extra_video_ids TEXT NOT NULL DEFAULT '[]',
          preset TEXT NOT NULL,
          kind TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('queued','running','paused','done','failed','cancelled','interrupted')),
          priority INTEGER NOT NULL DEFAULT 0,
          params TEXT NOT NULL,
          input_path TEXT,
          out_dir TEXT NOT NULL,
          output_path TEXT NOT NULL,
          temp_path TEXT,
          renamed_to TEXT,
          work_dir TEXT,
          pid INTEGER,
          args TEXT NOT NULL DEFAULT '[]',
          plan TEXT,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT,
          exit_code INTEGER,
          error TEXT,
          log_tail TEXT NOT NULL DEFAULT '',
          attempts INTEGER NOT NULL DEFAULT 0,
          output_ids TEXT NOT NULL DEFAULT '[]',
          progress TEXT
        );
        CREATE INDEX jobs_pick ON jobs (status, priority DESC, id);
      `),
  },
  {
    version: 2,
    name: 'jobs.queued_by',
    // Who queued it (the caller's actor): an MCP client sees and cancels only its own jobs. NULL: queued before
    // this column existed, by the owner.
    up: (db) => db.exec('ALTER TABLE jobs ADD COLUMN queued_by TEXT'),
  },
  {
    version: 3,
    name: 'jobs.waiting',
    // waiting: why a queued job is held (JSON JobWaiting), so every process reading the queue sees the hold, not
    // only the engine that holds it. no_space: the job's own answer to a full disk ('wait' | 'fail'); NULL: the setting.
    up: (db) => db.exec('ALTER TABLE jobs ADD COLUMN waiting TEXT; ALTER TABLE jobs ADD COLUMN no_space TEXT'),
  },
  {
    version: 4,
    name: 'jobs.status_id',
    // The Jobs screen's list reads each status newest first, LIMIT rows from the index, whatever the table holds
    // (a full scan and sort took 23 ms at 10,000 queued jobs and 300 ms at 100,000).
    up: (db) => db.exec('CREATE INDEX jobs_status_id ON jobs (status, id)'),
  },
  {
    version: 5,
    name: 'jobs.position',
    // position: the owner's order within a priority (jobs.move); starts as the id, so the old order holds.
    // output_bytes: the finished output's size (a folder's total), kept so the queue can show it without a stat.
    // The index reads the queue in the order it runs, without a sort however deep it is.
    up: (db) =>
      db.exec(
        'ALTER TABLE jobs ADD COLUMN position INTEGER; UPDATE jobs SET position = id; ALTER TABLE jobs ADD COLUMN output_bytes INTEGER; ' +
          'CREATE INDEX jobs_queue_order ON jobs (status, priority DESC, position, id)',
      ),
  },
];

/** The statuses the Jobs list shows after the active and queued ones, each newest first. */
const FINISHED_STATUSES: readonly JobStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];

/** Statuses a job ends in: what "Clear finished" removes (interrupted ones wait for the owner's retry or cancel). */
export const FINISHED: readonly JobStatus[] = ['done', 'failed', 'cancelled'];

/** The queue's order: priority first, then the owner's order (position), then age. */
const QUEUE_ORDER = 'priority DESC, position ASC, id ASC';

/** Which state may follow which: anything else is a bug or a race, refused with CONFLICT. */
const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'cancelled'],
  // running → queued: the disk-space check before ffmpeg starts sent it back to wait for room, or the process
  // running it closed and handed it back to the queue.
  running: ['done', 'failed', 'cancelled', 'paused', 'interrupted', 'queued'],
  // paused → queued: the process running it closed and handed it back to the queue.
  paused: ['running', 'cancelled', 'interrupted', 'failed', 'queued'],
  done: [],
  // failed → cancelled: the owner discards a failed chunked job's kept chunks instead of retrying.
  failed: ['queued', 'cancelled'],
  cancelled: ['queued'],
  // interrupted → cancelled: the owner discards it instead of retrying.
  interrupted: ['queued', 'cancelled'],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

interface JobRow {
  id: number;
  video_id: number | null;
  extra_video_ids: string;
  preset: string;
  kind: PresetKind;
  status: JobStatus;
  priority: number;
  params: string;
  input_path: string | null;
  out_dir: string;
  output_path: string;
  temp_path: string | null;
  renamed_to: string | null;
  work_dir: string | null;
  pid: number | null;
  args: string;
  plan: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  error: string | null;
  log_tail: string;
  attempts: number;
  output_ids: string;
  progress: string | null;
  queued_by: string | null;
  waiting: string | null;
  no_space: NoSpaceMode | null;
  position: number | null;
  output_bytes: number | null;
}

/** The row plus the engine-only fields (temp paths, pid) that never cross the boundary. */
export interface StoredJob extends Job {
  inputPath: string | null;
  outDir: string;
  tempPath: string | null;
  /** Set just before the temp output is renamed into place; a crash before 'done' leaves an unregistered file there. */
  renamedTo: string | null;
  workDir: string | null;
  pid: number | null;
}

function toJob(r: JobRow): StoredJob {
  return {
    id: r.id,
    videoId: r.video_id,
    extraVideoIds: JSON.parse(r.extra_video_ids) as number[],
    preset: r.preset,
    kind: r.kind,
    status: r.status,
    priority: r.priority,
    params: JSON.parse(r.params) as Record<string, unknown>,
    outputPath: r.output_path,
    args: JSON.parse(r.args) as string[],
    plan: r.plan,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    exitCode: r.exit_code,
    error: r.error,
    logTail: r.log_tail,
    attempts: r.attempts,
    outputIds: JSON.parse(r.output_ids) as number[],
    progress: r.progress ? (JSON.parse(r.progress) as Job['progress']) : null,
    queuedBy: r.queued_by,
    ...(r.waiting && r.status === 'queued' ? { waiting: JSON.parse(r.waiting) as JobWaiting } : {}),
    ...(r.no_space ? { noSpace: r.no_space } : {}),
    position: r.position ?? r.id,
    outputBytes: r.output_bytes,
    inputPath: r.input_path,
    outDir: r.out_dir,
    tempPath: r.temp_path,
    renamedTo: r.renamed_to,
    workDir: r.work_dir,
    pid: r.pid,
  };
}

export function publicJob(j: StoredJob): Job {
  const { inputPath: _i, outDir: _o, tempPath: _t, renamedTo: _r, workDir: _w, pid: _p, ...pub } = j;
  return pub;
}

export interface NewJob {
  videoId: number | null;
  extraVideoIds: number[];
  preset: string;
  kind: PresetKind;
  priority: number;
  params: Record<string, unknown>;
  inputPath: string | null;
  outDir: string;
  outputPath: string;
  plan: string | null;
  /** The actor that queued it (ui, web, cli, mcp); null when unknown. */
  queuedBy?: string | null;
  /** Its own answer to a full disk; absent: the engine's setting. */
  noSpace?: NoSpaceMode;
}

/** Column updates a transition may carry. */
export interface JobPatch {
  startedAt?: string | null;
  finishedAt?: string | null;
  exitCode?: number | null;
  error?: string | null;
  logTail?: string;
  args?: string[];
  plan?: string | null;
  tempPath?: string | null;
  renamedTo?: string | null;
  workDir?: string | null;
  pid?: number | null;
  outputPath?: string;
  outputIds?: number[];
  progress?: Job['progress'];
  attempts?: number;
  /** Set while it is held for disk space; cleared (null) by any move out of 'queued'. */
  waiting?: JobWaiting | null;
  outputBytes?: number | null;
}

const COLUMN: Record<keyof JobPatch, string> = {
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  exitCode: 'exit_code',
  error: 'error',
  logTail: 'log_tail',
  args: 'args',
  plan: 'plan',
  tempPath: 'temp_path',
  renamedTo: 'renamed_to',
  workDir: 'work_dir',
  pid: 'pid',
  outputPath: 'output_path',
  outputIds: 'output_ids',
  progress: 'progress',
  attempts: 'attempts',
  waiting: 'waiting',
  outputBytes: 'output_bytes',
};

const JSON_FIELDS = new Set<keyof JobPatch>(['args', 'outputIds', 'progress', 'waiting']);

/** The jobs table: rows, the state machine, and the queue order (priority, then age). */
export class JobStore {
  constructor(private readonly db: Db) {
    migrate(db, 'jobs', migrations);
  }

  insert(j: NewJob): StoredJob {
    const id = this.db.transaction(() => {
      const info = this.db
      .prepare(
        `INSERT INTO jobs (video_id, extra_video_ids, preset, kind, status, priority, params, input_path, out_dir, output_path, plan, created_at, queued_by, no_space)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(j.videoId, JSON.stringify(j.extraVideoIds), j.preset, j.kind, j.priority, JSON.stringify(j.params), j.inputPath, j.outDir, j.outputPath, j.plan, new Date().toISOString(), j.queuedBy ?? null, j.noSpace ?? null);
      const newId = Number(info.lastInsertRowid);
      this.db.prepare('UPDATE jobs SET position = id WHERE id = ?').run(newId);
      return newId;
    })();
    return this.require(id);
  }

  get(id: number): StoredJob | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  require(id: number): StoredJob {
    const j = this.get(id);
    if (!j) throw new ChurchError('NOT_FOUND', `there is no job ${id}; "church jobs" lists them`);
    return j;
  }

  /**
   * Active jobs first (running and paused newest first, then the queue in the order it runs), then the newest
   * others, up to limit. Each part is an index range of at most `limit` rows, so a deep queue or a long history
   * costs nothing here (one ORDER BY over the whole table scanned and sorted every row).
   */
  list(opts: { status?: JobStatus; limit?: number } = {}): StoredJob[] {
    const limit = opts.limit ?? 200;
    const newest = this.db.prepare('SELECT * FROM jobs WHERE status = ? ORDER BY id DESC LIMIT ?');
    if (opts.status) return (newest.all(opts.status, limit) as JobRow[]).map(toJob);
    const active = [...(newest.all('running', limit) as JobRow[]), ...(newest.all('paused', limit) as JobRow[])].sort((a, b) => b.id - a.id);
    const queued = this.db.prepare(`SELECT * FROM jobs WHERE status = 'queued' ORDER BY ${QUEUE_ORDER} LIMIT ?`).all(limit) as JobRow[];
    const rows = [...active, ...queued];
    if (rows.length < limit) {
      const finished = FINISHED_STATUSES.flatMap((s) => newest.all(s, limit - rows.length) as JobRow[]).sort((a, b) => b.id - a.id);
      rows.push(...finished);
    }
    return rows.slice(0, limit).map(toJob);
  }

  withStatus(...statuses: JobStatus[]): StoredJob[] {
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY id`).all(...statuses) as JobRow[];
    return rows.map(toJob);
  }

  /** The queued job to start next, leaving out `skip` (jobs waiting for disk space). */
  nextQueued(skip: ReadonlySet<number> = new Set()): StoredJob | null {
    const ids = [...skip].filter((n) => Number.isInteger(n));
    const not = ids.length ? ` AND id NOT IN (${ids.join(',')})` : '';
    const row = this.db.prepare(`SELECT * FROM jobs WHERE status = 'queued'${not} ORDER BY ${QUEUE_ORDER} LIMIT 1`).get() as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  /** The queued jobs in the order they will start. */
  queued(): StoredJob[] {
    return (this.db.prepare(`SELECT * FROM jobs WHERE status = 'queued' ORDER BY ${QUEUE_ORDER}`).all() as JobRow[]).map(toJob);
  }

  /**
   * Moves a queued job to just before `before` (another queued job), or to the end of the queue (null). The moved
   * job takes the priority of the place it lands in (its new neighbour's), so the order shown is the order run;
   * no other job's priority changes. The queued jobs' positions are reassigned among themselves in the new order.
   */
  move(id: number, before: number | null): StoredJob[] {
    return this.db.transaction(() => {
      const queue = this.queued();
      const moved = queue.find((j) => j.id === id);
      if (!moved) throw new ChurchError('CONFLICT', `job ${id} is ${this.require(id).status}; only queued jobs can be moved`);
      const rest = queue.filter((j) => j.id !== id);
      const at = before === null ? rest.length : rest.findIndex((j) => j.id === before);
      if (at < 0) throw new ChurchError('CONFLICT', `job ${before} is not queued; move a job before another queued job, or to the end`);
      const neighbour = rest[at] ?? rest[at - 1];
      const order = [...rest.slice(0, at), moved, ...rest.slice(at)];
      const positions = queue.map((j) => j.position).sort((a, b) => a - b);
      const set = this.db.prepare('UPDATE jobs SET position = ?, priority = ? WHERE id = ?');
      order.forEach((j, i) => set.run(positions[i], j.id === id ? (neighbour?.priority ?? j.priority) : j.priority, j.id));
      return this.queued();
    })();
  }

  /** Removes finished jobs (done, failed, cancelled) from the list; returns their ids. Their outputs stay. */
  clearFinished(): number[] {
    return this.db.transaction(() => {
      const marks = FINISHED.map(() => '?').join(',');
      const ids = (this.db.prepare(`SELECT id FROM jobs WHERE status IN (${marks})`).all(...FINISHED) as { id: number }[]).map((r) => r.id);
      this.db.prepare(`DELETE FROM jobs WHERE status IN (${marks})`).run(...FINISHED);
      return ids;
    })();
  }

  count(status: JobStatus): number {
    return (this.db.prepare('SELECT count(*) AS n FROM jobs WHERE status = ?').get(status) as { n: number }).n;
  }

  /** Moves a job to `to` (checked against the state machine) and applies the patch, atomically. */
  transition(id: number, to: JobStatus, patch: JobPatch = {}): StoredJob {
    return this.db.transaction(() => {
      const cur = this.require(id);
      if (cur.status !== to && !canTransition(cur.status, to)) {
        throw new ChurchError('CONFLICT', `job ${id} is ${cur.status} and cannot become ${to}`);
      }
      // A hold for disk space belongs to a queued job only: leaving the queue ends it.
      this.update(id, to === 'queued' ? patch : { waiting: null, ...patch }, to);
      return this.require(id);
    })();
  }

  update(id: number, patch: JobPatch, status?: JobStatus): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (status) {
      sets.push('status = ?');
      values.push(status);
    }
    for (const [k, v] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
      if (v === undefined) continue;
      sets.push(`${COLUMN[k]} = ?`);
      values.push(JSON_FIELDS.has(k) ? (v === null ? null : JSON.stringify(v)) : v);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }
}
