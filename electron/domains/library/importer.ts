import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ImportPhase, ImportProgress, ImportSummary } from '../../../shared/dto/library';
import { ChurchError } from '../../../shared/errors';
import { ensureAssets } from './assets';
import { ImportPass } from './importPass';
import type { ImportWrites } from './importWrites';
import { pool } from './pool';

export interface ImportOptions {
  /** Generate posters and sprites for new/changed videos (default true when the store has an assets dir). */
  assets?: boolean;
  /** Internal: a rescan of known roots (folders are not re-registered, that is all). */
  rescan?: boolean;
  signal?: AbortSignal;
}

interface Run {
  id: string;
  controller: AbortController;
  progress: ImportProgress;
  started: number;
}

/**
 * One import or rescan at a time: walk (each file once by identity), then probe what is new or changed in
 * parallel, track moves by fingerprint, flag missing files, then generate assets. Every file is written in its
 * own transaction, so a cancel (or a crash) leaves whole items only; missing-flagging runs only after a
 * complete walk, so a cancelled scan never flags files it did not get to.
 */
export class Importer {
  private current: Run | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: ImportWrites) {}

  status(): ImportProgress | null {
    return this.current ? { ...this.current.progress } : null;
  }

  /** Resolves once no import is running (after a cancel, when its in-flight files have settled). */
  idle(): Promise<void> {
    return this.running.then(() => undefined);
  }

  cancel(importId?: string): boolean {
    if (!this.current || (importId && importId !== this.current.id)) return false;
    this.current.controller.abort();
    return true;
  }

  private get concurrency(): number {
    return Math.max(1, this.store.options.concurrency ?? availableParallelism());
  }

  async run(paths: readonly string[], opts: ImportOptions): Promise<ImportSummary> {
    if (this.current) {
      throw new ChurchError('CONFLICT', `an import is already running (${this.current.id}, ${this.current.progress.seen} files seen); wait for it or cancel it`);
    }
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const startedAt = new Date().toISOString();
    const run: Run = {
      id: randomUUID(),
      controller,
      started: performance.now(),
      progress: { importId: '', phase: 'walking', seen: 0, probed: 0, failed: 0, unchanged: 0, queued: 0, currentFile: null, ratePerSec: 0, etaSec: null, startedAt },
    };
    run.progress.importId = run.id;
    this.current = run;
    const emitTimer = setInterval(() => this.emit(run), 250);
    emitTimer.unref();
    const work = this.execute(run, paths, opts, startedAt);
    this.running = work.catch(() => undefined);
    try {
      return await work;
    } finally {
      clearInterval(emitTimer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
      this.current = null;
    }
  }

  private emit(run: Run, phase?: ImportPhase): void {
    const p = run.progress;
    if (phase) p.phase = phase;
    const elapsed = (performance.now() - run.started) / 1000;
    const done = p.probed + p.unchanged;
    p.ratePerSec = elapsed > 0 ? Math.round((done / elapsed) * 10) / 10 : 0;
    p.etaSec = p.phase === 'probing' && p.ratePerSec > 0 ? Math.round((p.queued / p.ratePerSec) * 10) / 10 : p.phase === 'walking' ? null : 0;
    try {
      this.store.options.onProgress?.({ ...p });
    } catch {
      // A broken listener must not break the import.
    }
  }

  private async execute(run: Run, paths: readonly string[], opts: ImportOptions, startedAt: string): Promise<ImportSummary> {
    const signal = run.controller.signal;
    const p = run.progress;
    const wantAssets = (opts.assets ?? true) && this.store.assetsDir !== null;
    const pass = new ImportPass(this.store, run.controller, p, run.id, startedAt, wantAssets);
    const found = await pass.walk(paths);
    this.emit(run, 'probing');
    await pool(found, this.concurrency, signal, (f) => pass.importFile(f));
    pass.settle();

    const summary = pass.summary;
    if (wantAssets && !signal.aborted && pass.needAssets.size) {
      p.currentFile = null;
      this.emit(run, 'assets');
      const r = await this.generate([...pass.needAssets], false, signal);
      summary.assets = { generated: r.generated, failed: r.failed.length };
    }

    summary.cancelled = signal.aborted;
    summary.durationMs = Math.round(performance.now() - run.started);
    const handled = p.probed + p.unchanged;
    summary.filesPerSec = summary.durationMs > 0 ? Math.round((handled / (summary.durationMs / 1000)) * 10) / 10 : 0;
    p.currentFile = null;
    p.queued = signal.aborted ? p.queued : 0;
    this.emit(run, signal.aborted ? 'cancelled' : 'done');
    return summary;
  }

  /** Generates assets for ids; one item's failure is reported, not thrown. */
  private async generate(ids: readonly number[], force: boolean, signal: AbortSignal): Promise<{ generated: number; failed: { id: number; reason: string }[] }> {
    const store = this.store;
    const assetsDir = store.assetsDir;
    if (!assetsDir) throw new ChurchError('UNAVAILABLE', 'this library has no assets folder (it was opened without a data dir)');
    const targets = store.assetTargets(ids);
    const failed: { id: number; reason: string }[] = [];
    let generated = 0;
    const byFingerprint = new Map<string, typeof targets>();
    for (const t of targets) byFingerprint.set(t.fingerprint, [...(byFingerprint.get(t.fingerprint) ?? []), t]);
    // Copies share one set of assets: generate once per fingerprint, flag every copy.
    await pool([...byFingerprint.values()], this.concurrency, signal, async (group) => {
      const first = group[0];
      if (!first) return;
      try {
        const flags = await ensureAssets(first.path, first.probe, assetsDir, first.fingerprint, { env: store.options.env ?? process.env, signal, force });
        for (const t of group) store.setAssetFlags(t.id, flags);
        generated += group.length;
      } catch (e) {
        if (signal.aborted) return;
        for (const t of group) failed.push({ id: t.id, reason: e instanceof Error ? e.message : String(e) });
      }
    });
    if (generated) store.options.onChanged?.(targets.map((t) => t.id), 'assets');
    return { generated, failed };
  }

  async regenerate(ids: readonly number[] | undefined, force: boolean): Promise<{ generated: number; failed: { id: number; reason: string }[] }> {
    const controller = new AbortController();
    const all = ids ?? this.store.assetTargets().map((t) => t.id);
    return this.generate(all, force, controller.signal);
  }
}
