import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import type { OutputKind } from '../../shared/dto/library';
import type { ProbeResult } from '../../shared/dto/probe';
import { openDatabase, type Db } from '../../electron/platform/db';
import { JobEngine, type JobEngineOptions, type JobLibrary } from '../../electron/domains/jobs';
import { probeFile } from '../../electron/platform/media/probe';
import { SettingsStore } from '../../electron/platform/settings';
import { tempDir } from './tempDir';
import { waitFor } from './waitFor';

/**
 * The library as the engine sees it (getVideo + registerOutput), in memory: the engine's own tests do not depend
 * on how the library imports files. tests/jobs/hostAndCli.test.ts runs the engine against the real one.
 */
export class MemoryLibrary implements JobLibrary {
  private readonly videos = new Map<number, { path: string; probe: ProbeResult | null }>();
  readonly outputs: { id: number; videoId: number; jobId: number | null; preset: string; kind: OutputKind; path: string; sizeBytes: number }[] = [];
  private nextId = 1;

  async add(path: string, probe = true): Promise<number> {
    const id = this.nextId++;
    this.videos.set(id, { path, probe: probe ? await probeFile(path) : null });
    return id;
  }

  getVideo(id: number) {
    return this.videos.get(id) ?? null;
  }

  registerOutput(o: Omit<MemoryLibrary['outputs'][number], 'id'>) {
    const row = { ...o, id: this.outputs.length + 1 };
    this.outputs.push(row);
    return row;
  }
}

export interface EventLog {
  all: { name: EventName; payload: unknown }[];
  of<E extends EventName>(name: E): EventPayload<E>[];
}

export interface JobEngineFixture {
  engine: JobEngine;
  library: MemoryLibrary;
  events: EventLog;
  dataDir: string;
  db: Db;
  close(): Promise<void>;
}

export function useJobEngine(opts: Partial<JobEngineOptions> & { dataDir?: string; start?: boolean } = {}): JobEngineFixture {
  const dataDir = opts.dataDir ?? tempDir('church-jobs-');
  const db: Db = openDatabase(join(dataDir, 'studio.sqlite'));
  const library = (opts.library as MemoryLibrary | undefined) ?? new MemoryLibrary();
  const all: EventLog['all'] = [];
  const events: EventLog = { all, of: <E extends EventName>(name: E) => all.filter((e) => e.name === name).map((e) => e.payload as EventPayload<E>) };
  const engine = new JobEngine({
    db,
    dataDir,
    settings: new SettingsStore(db),
    emit: (name, payload) => all.push({ name, payload }),
    library,
    progressIntervalMs: 50,
    ...opts,
  });
  if (opts.start !== false) engine.start();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await engine.close();
    db.close();
  };
  afterAll(close);
  return { engine, library, events, dataDir, db, close };
}

/** Waits until the job reaches one of the statuses (polling the store), or fails after timeoutMs naming where it stayed. */
export async function waitForJob(engine: JobEngine, id: number, statuses: string[], timeoutMs = 30_000) {
  try {
    return await waitFor(`job ${id} to be ${statuses.join('/')}`, () => {
      const j = engine.get(id);
      return statuses.includes(j.status) && j;
    }, timeoutMs, 25);
  } catch {
    const j = engine.get(id);
    throw new Error(`job ${id} stayed ${j.status} (wanted ${statuses.join('/')}); error: ${j.error}; log: ${j.logTail}`);
  }
}
