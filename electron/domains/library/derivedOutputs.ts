import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DerivedOutput, RegisterOutputInput } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import { now, type LibraryDb } from './libraryDb';
import { toOutput, type OutputRow } from './rows';

/** Files the job engine made from an item (transcodes, HLS, sprites …): recorded here, written and deleted there. */
export class DerivedOutputs {
  constructor(private readonly lib: LibraryDb) {}

  register(input: RegisterOutputInput): DerivedOutput {
    const { lib } = this;
    if (!lib.stmt('SELECT 1 FROM videos WHERE id = ?').get(input.videoId)) throw new ChurchError('NOT_FOUND', `no library item with id ${input.videoId} to attach an output to`);
    if (!isAbsolute(input.path)) throw new ChurchError('INVALID_INPUT', `an output path must be absolute, got ${input.path}`);
    const id = Number(
      lib.db
        .prepare('INSERT INTO derived_outputs (video_id, job_id, preset, kind, path, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(input.videoId, input.jobId, input.preset, input.kind, resolve(input.path), input.sizeBytes, now()).lastInsertRowid,
    );
    lib.changed([input.videoId], 'outputs');
    const row = lib.stmt('SELECT * FROM derived_outputs WHERE id = ?').get(id) as OutputRow;
    return toOutput(row, existsSync(row.path));
  }

  list(videoId: number): DerivedOutput[] {
    const rows = this.lib.stmt('SELECT * FROM derived_outputs WHERE video_id = ? ORDER BY id').all(videoId) as OutputRow[];
    return rows.map((r) => toOutput(r, existsSync(r.path)));
  }

  /** Forgets an output record; deleting its files is the job engine's decision. */
  remove(id: number): void {
    const row = this.lib.stmt('SELECT video_id FROM derived_outputs WHERE id = ?').get(id) as { video_id: number } | undefined;
    if (!row) throw new ChurchError('NOT_FOUND', `no derived output with id ${id}`);
    this.lib.stmt('DELETE FROM derived_outputs WHERE id = ?').run(id);
    this.lib.changed([row.video_id], 'outputs');
  }
}
