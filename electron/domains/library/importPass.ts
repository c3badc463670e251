import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportFailureCode, ImportProgress, ImportSummary } from '../../../shared/dto/library';
import type { ProbeResult } from '../../../shared/dto/probe';
import { isChurchError } from '../../../shared/errors';
import { ProbeError, probeFile } from '../../platform/media';
import { assetState } from './assets';
import type { ImportWrites, KnownFile } from './importWrites';
import { probeForLibrary, readFileFacts } from './quickProbe';
import { walkMedia, type FoundFile, type WalkStats } from './walk';
import { WriteBatch } from './writeBatch';

/** A probed file waiting for its batch's transaction. */
interface Probed {
  f: FoundFile;
  rootId: number | null;
  fingerprint: string;
  probe: ProbeResult;
  known: KnownFile | null;
}

/** Files written per transaction, and the longest a probed file waits for its batch. */
const BATCH_FILES = 64;
const BATCH_WAIT_MS = 200;

function failureCode(e: unknown): ImportFailureCode {
  if (e instanceof ProbeError && e.reason !== 'cancelled') return e.reason;
  return 'unreadable';
}

function isUnavailable(e: unknown): boolean {
  return isChurchError(e) && e.code === 'UNAVAILABLE';
}

/**
 * The walk and the per-file work of one import: what each file found becomes (skipped, moved, imported, updated,
 * failed), counted in the summary and the live progress, and what the end of the import must still do
 * (duplicates to recompute, assets to generate).
 */
export class ImportPass {
  readonly summary: ImportSummary;
  /** Videos whose poster or sprite is missing. */
  readonly needAssets = new Set<number>();
  private readonly rootIds = new Map<string, number>();
  private readonly touched = new Set<number>();
  /** Fingerprints whose duplicate counts may have changed. */
  private readonly fingerprints = new Set<string>();
  private readonly progress: ImportProgress;
  private readonly batch = new WriteBatch<Probed>(BATCH_FILES, BATCH_WAIT_MS, (items) => this.writeProbed(items));

  constructor(
    private readonly store: ImportWrites,
    private readonly controller: AbortController,
    progress: ImportProgress,
    importId: string,
    private readonly startedAt: string,
    readonly wantAssets: boolean,
  ) {
    this.progress = progress;
    this.summary = { importId, imported: 0, updated: 0, moved: 0, skipped: 0, missing: 0, failed: [], assets: { generated: 0, failed: 0 }, cancelled: false, durationMs: 0, filesPerSec: 0 };
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Walk: folders become roots; files are found once each. */
  async walk(paths: readonly string[]): Promise<FoundFile[]> {
    const p = this.progress;
    const walkStats: WalkStats = { repeats: 0, unreadable: [] };
    const found: FoundFile[] = [];
    for (const given of paths) {
      const abs = resolve(given);
      try {
        if (statSync(abs).isDirectory()) this.rootIds.set(abs, this.store.upsertRoot(abs));
      } catch {
        // reported by the walk
      }
    }
    for await (const f of walkMedia(paths, this.signal, walkStats)) {
      found.push(f);
      p.seen++;
      p.queued++;
      p.currentFile = f.path;
    }
    for (const u of walkStats.unreadable) this.summary.failed.push({ path: u.path, code: 'unreadable', reason: `${basename(u.path)} ${u.reason}` });
    this.summary.skipped += walkStats.repeats;
    return found;
  }

  /** One found file, in its own transaction. A missing tool (UNAVAILABLE) stops the whole import. */
  async importFile(f: FoundFile): Promise<void> {
    const p = this.progress;
    p.currentFile = f.path;
    const rootId = f.root ? (this.rootIds.get(f.root) ?? null) : null;
    try {
      await this.importOne(f, rootId);
    } catch (e) {
      if (isUnavailable(e)) {
        this.controller.abort();
        throw e;
      }
      this.fail(f, rootId, 'unreadable', `${basename(f.path)} could not be imported: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      p.queued = Math.max(0, p.queued - 1);
    }
  }

  private async importOne(f: FoundFile, rootId: number | null): Promise<void> {
    const { store, progress: p } = this;
    const known = store.byPath(f.path);
    if (known && known.size_bytes === f.size && known.mtime_ms === f.mtimeMs && known.fingerprint && known.has_probe) {
      this.keepUnchanged(known, rootId);
      return;
    }
    if (this.repeatFailure(f)) return;
    if (f.size === 0) {
      this.fail(f, rootId, 'empty', `${basename(f.path)} is empty (0 bytes); delete it or copy it again`);
      p.probed++;
      return;
    }
    const facts = await readFileFacts(f.path);
    if (!known && this.followMove(f, rootId, facts.fingerprint)) return;
    const probe = await this.probe(f, rootId, facts.header);
    if (probe === null || this.signal.aborted) return;
    this.saveProbed(f, rootId, facts.fingerprint, probe, known);
  }

  /** The file is as last seen: mark it seen, and note when its assets are gone. */
  private keepUnchanged(known: KnownFile, rootId: number | null): void {
    const { store, progress: p } = this;
    store.markSeen(known.id, rootId, this.startedAt);
    if (known.missing === 1) {
      this.fingerprints.add(known.fingerprint);
      this.touched.add(known.id);
    }
    this.summary.skipped++;
    p.unchanged++;
    // Assets are checked on disk, not by flag: a deleted poster is regenerated by the next scan.
    if (this.wantAssets && known.kind === 'video' && store.assetsDir) {
      const have = assetState(store.assetsDir, known.fingerprint);
      if (!have.poster || !have.sprite) this.needAssets.add(known.id);
    }
  }

  /** Same broken file as last time: report it again without probing it again. */
  private repeatFailure(f: FoundFile): boolean {
    const failedBefore = this.store.failureFor(f.path);
    if (!failedBefore || failedBefore.size_bytes !== f.size || failedBefore.mtime_ms !== f.mtimeMs) return false;
    this.summary.failed.push({ path: f.path, code: failedBefore.code, reason: failedBefore.reason });
    this.progress.failed++;
    this.progress.probed++;
    return true;
  }

  /** A new path whose content is a missing item's: the item moved here. */
  private followMove(f: FoundFile, rootId: number | null, fingerprint: string): boolean {
    const { store, startedAt } = this;
    const movedId = store.movedCandidate(fingerprint, startedAt);
    if (movedId === null) return false;
    store.moveTo(movedId, { path: f.path, rootId, sizeBytes: f.size, mtimeMs: f.mtimeMs }, startedAt);
    this.fingerprints.add(fingerprint);
    this.touched.add(movedId);
    this.summary.moved++;
    this.progress.probed++;
    return true;
  }

  /** The probe, or null when the file failed it or the import was cancelled mid-probe. */
  private async probe(f: FoundFile, rootId: number | null, header: ProbeResult | null): Promise<ProbeResult | null> {
    const { store, signal } = this;
    const probeOpts = { timeoutMs: store.options.probeTimeoutMs ?? 30_000, signal, env: store.options.env };
    try {
      return store.options.headerProbe === false ? await probeFile(f.path, probeOpts) : await probeForLibrary(f.path, { ...probeOpts, header });
    } catch (e) {
      if (signal.aborted) return null; // cancelled mid-probe: this file is simply not imported
      if (isUnavailable(e)) throw e;
      this.fail(f, rootId, failureCode(e), e instanceof Error ? e.message : String(e));
      this.progress.probed++;
      return null;
    }
  }

  /** The file is probed: it is written with the next batch (see ImportWrites.saveProbedMany). */
  private saveProbed(f: FoundFile, rootId: number | null, fingerprint: string, probe: ProbeResult, known: KnownFile | null): void {
    this.progress.probed++;
    this.batch.add({ f, rootId, fingerprint, probe, known });
  }

  /** One transaction for the batch; should it fail, each file alone, so one bad file fails only itself. */
  private writeProbed(items: Probed[]): void {
    const facts = (i: Probed) => ({ path: i.f.path, rootId: i.rootId, sizeBytes: i.f.size, mtimeMs: i.f.mtimeMs, fingerprint: i.fingerprint, probe: i.probe });
    let ids: (number | null)[];
    try {
      ids = this.store.saveProbedMany(items.map((i) => ({ facts: facts(i), existingId: i.known?.id ?? null })), this.startedAt);
    } catch {
      ids = items.map((i) => {
        try {
          return this.store.saveProbed(facts(i), this.startedAt, i.known?.id ?? null);
        } catch (e) {
          this.tryFail(i.f, i.rootId, `${basename(i.f.path)} could not be imported: ${e instanceof Error ? e.message : String(e)}`);
          return null;
        }
      });
    }
    items.forEach((i, k) => {
      const id = ids[k];
      if (id !== null && id !== undefined) this.saved(i, id);
    });
  }

  private saved({ fingerprint, probe, known }: Probed, id: number): void {
    this.fingerprints.add(fingerprint);
    if (known) this.fingerprints.add(known.fingerprint);
    this.touched.add(id);
    if (known) this.summary.updated++;
    else this.summary.imported++;
    if (this.wantAssets && probe.kind === 'video') this.needAssets.add(id);
  }

  /** Recording a failure from a batch write, which a timer may run: nothing may escape it. */
  private tryFail(f: FoundFile, rootId: number | null, reason: string): void {
    try {
      this.fail(f, rootId, 'unreadable', reason);
    } catch {
      this.summary.failed.push({ path: f.path, code: 'unreadable', reason });
    }
  }

  private fail(f: FoundFile, rootId: number | null, code: ImportFailureCode, reason: string): void {
    this.summary.failed.push({ path: f.path, code, reason });
    this.progress.failed++;
    this.store.recordFailure({ path: f.path, rootId, code, reason, sizeBytes: f.size, mtimeMs: f.mtimeMs });
  }

  /** After the files: flag what is gone (only a complete walk may conclude that), recompute duplicates, notify. */
  settle(): void {
    const { store, summary } = this;
    this.batch.flush(); // probed files are written even when cancelled: whole items, as probed
    if (!this.signal.aborted) {
      const scanned = [...this.rootIds.values()];
      const flagged = store.flagMissing(scanned, this.startedAt);
      summary.missing = flagged.length;
      for (const fp of store.fingerprintsOf(flagged)) this.fingerprints.add(fp);
      store.touchRoots(scanned);
    }
    store.recomputeDuplicates([...this.fingerprints]);
    if (this.touched.size || summary.missing) store.options.onChanged?.(null, 'import');
  }
}
