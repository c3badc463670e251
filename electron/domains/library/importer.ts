import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import type { ImportFailureCode, ImportPhase, ImportProgress, ImportSummary } from '../../../shared/dto/library';
import type { ProbeResult } from '../../../shared/dto/probe';
import { ChurchError, isChurchError } from '../../../shared/errors';
import { ProbeError, probeFile } from '../../platform/media';
import { assetState, ensureAssets } from './assets';
import type { ImportWrites } from './importWrites';
import { probeForLibrary, readFileFacts } from './quickProbe';
import { walkMedia, type FoundFile, type WalkStats } from './walk';

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

/** Runs `fn` over items with at most `limit` at once; stops taking new items once `signal` aborts. */
async function pool<T>(items: readonly T[], limit: number, signal: AbortSignal, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function failureCode(e: unknown): ImportFailureCode {
  if (e instanceof ProbeError && e.reason !== 'cancelled') return e.reason;
  return 'unreadable';
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
    const store = this.store;
    const signal = run.controller.signal;
    const p = run.progress;
    const summary: ImportSummary = { importId: run.id, imported: 0, updated: 0, moved: 0, skipped: 0, missing: 0, failed: [], assets: { generated: 0, failed: 0 }, cancelled: false, durationMs: 0, filesPerSec: 0 };
    const wantAssets = (opts.assets ?? true) && store.assetsDir !== null;
    const rootIds = new Map<string, number>();
    const touched = new Set<number>();
    const fingerprints = new Set<string>();
    const needAssets = new Set<number>();

    // Walk: folders become roots; files are found once each.
    const walkStats: WalkStats = { repeats: 0, unreadable: [] };
    const found: FoundFile[] = [];
    for (const given of paths) {
      const abs = resolve(given);
      try {
        if (statSync(abs).isDirectory()) rootIds.set(abs, store.upsertRoot(abs));
      } catch {
        // reported by the walk
      }
    }
    for await (const f of walkMedia(paths, signal, walkStats)) {
      found.push(f);
      p.seen++;
      p.queued++;
      p.currentFile = f.path;
    }
    for (const u of walkStats.unreadable) summary.failed.push({ path: u.path, code: 'unreadable', reason: `${basename(u.path)} ${u.reason}` });
    summary.skipped += walkStats.repeats;
    this.emit(run, 'probing');

    const fail = (f: FoundFile, rootId: number | null, code: ImportFailureCode, reason: string) => {
      summary.failed.push({ path: f.path, code, reason });
      p.failed++;
      store.recordFailure({ path: f.path, rootId, code, reason, sizeBytes: f.size, mtimeMs: f.mtimeMs });
    };

    const probeOpts = { timeoutMs: store.options.probeTimeoutMs ?? 30_000, signal, env: store.options.env };
    await pool(found, this.concurrency, signal, async (f) => {
      p.currentFile = f.path;
      const rootId = f.root ? (rootIds.get(f.root) ?? null) : null;
      try {
        const known = store.byPath(f.path);
        if (known && known.size_bytes === f.size && known.mtime_ms === f.mtimeMs && known.fingerprint && known.has_probe) {
          store.markSeen(known.id, rootId, startedAt);
          if (known.missing === 1) {
            fingerprints.add(known.fingerprint);
            touched.add(known.id);
          }
          summary.skipped++;
          p.unchanged++;
          // Assets are checked on disk, not by flag: a deleted poster is regenerated by the next scan.
          if (wantAssets && known.kind === 'video' && store.assetsDir) {
            const have = assetState(store.assetsDir, known.fingerprint);
            if (!have.poster || !have.sprite) needAssets.add(known.id);
          }
          return;
        }
        const failedBefore = store.failureFor(f.path);
        if (failedBefore && failedBefore.size_bytes === f.size && failedBefore.mtime_ms === f.mtimeMs) {
          // Same broken file as last time: report it again without probing it again.
          summary.failed.push({ path: f.path, code: failedBefore.code, reason: failedBefore.reason });
          p.failed++;
          p.probed++;
          return;
        }
        if (f.size === 0) {
          fail(f, rootId, 'empty', `${basename(f.path)} is empty (0 bytes); delete it or copy it again`);
          p.probed++;
          return;
        }
        const facts = await readFileFacts(f.path);
        const fingerprint = facts.fingerprint;
        if (!known) {
          const movedId = store.movedCandidate(fingerprint, startedAt);
          if (movedId !== null) {
            store.moveTo(movedId, { path: f.path, rootId, sizeBytes: f.size, mtimeMs: f.mtimeMs }, startedAt);
            fingerprints.add(fingerprint);
            touched.add(movedId);
            summary.moved++;
            p.probed++;
            return;
          }
        }
        let probe: ProbeResult;
        try {
          probe = store.options.headerProbe === false ? await probeFile(f.path, probeOpts) : await probeForLibrary(f.path, { ...probeOpts, header: facts.header });
        } catch (e) {
          if (signal.aborted) return; // cancelled mid-probe: this file is simply not imported
          if (isChurchError(e) && e.code === 'UNAVAILABLE') throw e;
          fail(f, rootId, failureCode(e), e instanceof Error ? e.message : String(e));
          p.probed++;
          return;
        }
        if (signal.aborted) return;
        const id = store.saveProbed({ path: f.path, rootId, sizeBytes: f.size, mtimeMs: f.mtimeMs, fingerprint, probe }, startedAt, known?.id ?? null);
        fingerprints.add(fingerprint);
        if (known) fingerprints.add(known.fingerprint);
        touched.add(id);
        if (known) summary.updated++;
        else summary.imported++;
        p.probed++;
        if (wantAssets && probe.kind === 'video') needAssets.add(id);
      } catch (e) {
        if (isChurchError(e) && e.code === 'UNAVAILABLE') {
          run.controller.abort();
          throw e;
        }
        fail(f, rootId, 'unreadable', `${basename(f.path)} could not be imported: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        p.queued = Math.max(0, p.queued - 1);
      }
    });

    // Only a complete walk may conclude that a file is gone.
    if (!signal.aborted) {
      const scanned = [...rootIds.values()];
      const flagged = store.flagMissing(scanned, startedAt);
      summary.missing = flagged.length;
      for (const fp of store.fingerprintsOf(flagged)) fingerprints.add(fp);
      store.touchRoots(scanned);
    }
    store.recomputeDuplicates([...fingerprints]);
    if (touched.size || summary.missing) store.options.onChanged?.(null, 'import');

    if (wantAssets && !signal.aborted && needAssets.size) {
      p.currentFile = null;
      this.emit(run, 'assets');
      const r = await this.generate([...needAssets], false, signal);
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
