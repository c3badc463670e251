import type {
  BulkEdit,
  CurationPatch,
  DerivedOutput,
  DuplicateGroup,
  ImportFailure,
  ImportFailureCode,
  ImportProgress,
  ImportSummary,
  LibraryCollection,
  LibraryRoot,
  LibraryStats,
  LibraryTag,
  RegisterOutputInput,
  VideoDetail,
  VideoPage,
  VideoSummary,
} from '../../../shared/dto/library';
import type { MediaRef } from '../../../shared/dto/media';
import { ChurchError } from '../../../shared/errors';
import { migrate, type Db } from '../../platform/db';
import { Collections } from './collections';
import { Curation } from './curation';
import { DerivedOutputs } from './derivedOutputs';
import { refreshFts } from './fullText';
import { Importer, type ImportOptions } from './importer';
import { ImportWrites, type AssetTarget, type KnownFile, type MediaFacts } from './importWrites';
import { ItemQueries } from './itemQueries';
import { LibraryDb, type LibraryOptions } from './libraryDb';
import { resolveMedia } from './mediaRefs';
import { listRoots, removeRoot } from './roots';
import { libraryMigrations } from './schema';
import { SearchPages } from './searchPages';
import type { SearchSpec } from './searchQuery';

export { defaultTitle, type MediaFacts } from './importWrites';
export type { LibraryOptions } from './libraryDb';

/**
 * The video library: items with their probe, curation, tags, collections, derived outputs and generated
 * assets, in SQLite; import and rescan run through the Importer. Plain Node: the CLI, serve and MCP use it too.
 *
 * One facade over parts with one job each (itemQueries, searchPages, curation, collections, derivedOutputs,
 * mediaRefs, roots, importWrites), which share a LibraryDb (connection, statement cache, options).
 */
export class LibraryStore {
  readonly assetsDir: string | null;
  readonly options: LibraryOptions;
  private readonly lib: LibraryDb;
  private readonly items: ItemQueries;
  private readonly pages: SearchPages;
  private readonly curation: Curation;
  private readonly collectionOps: Collections;
  private readonly outputs: DerivedOutputs;
  private readonly writes: ImportWrites;
  private readonly importer: Importer;

  constructor(
    readonly db: Db,
    opts: LibraryOptions = {},
  ) {
    migrate(db, 'library', libraryMigrations);
    this.options = opts;
    this.assetsDir = opts.assetsDir ?? null;
    this.lib = new LibraryDb(db, opts);
    this.outputs = new DerivedOutputs(this.lib);
    this.items = new ItemQueries(this.lib, this.outputs);
    this.pages = new SearchPages(this.lib);
    this.collectionOps = new Collections(this.lib, this.items);
    this.writes = new ImportWrites(this.lib);
    this.curation = new Curation(this.lib, this.items, this.collectionOps, this.writes);
    this.importer = new Importer(this.writes);
  }

  // ---------------------------------------------------------------- reads (itemQueries, searchPages, roots)

  pathOf(id: number): string | null {
    return this.items.pathOf(id);
  }

  getVideo(id: number): VideoDetail | null {
    return this.items.getVideo(id);
  }

  requireVideo(id: number): VideoDetail {
    return this.items.requireVideo(id);
  }

  summaries(ids: readonly number[]): VideoSummary[] {
    return this.items.summaries(ids);
  }

  search(input: Partial<SearchSpec> = {}): VideoPage {
    return this.pages.search(input);
  }

  stats(): LibraryStats {
    return this.items.stats();
  }

  tags(): LibraryTag[] {
    return this.items.tags();
  }

  duplicates(): DuplicateGroup[] {
    return this.items.duplicates();
  }

  failures(rootId?: number): ImportFailure[] {
    return this.items.failures(rootId);
  }

  /** Dismisses failed imports from the Problems list (the files are not touched); a later import tries them again. */
  dismissFailures(paths: readonly string[]): { dismissed: number } {
    const dismissed = this.writes.forgetFailures(paths);
    if (dismissed) this.lib.changed(null, 'import');
    return { dismissed };
  }

  roots(): LibraryRoot[] {
    return listRoots(this.lib);
  }

  removeRoot(id: number): void {
    removeRoot(this.lib, id);
  }

  // ---------------------------------------------------------------- curation

  /** Recomputes the full-text row of items (title, file name, tags, collections, notes). */
  refreshFts(ids: readonly number[]): void {
    refreshFts(this.lib, ids);
  }

  update(id: number, patch: CurationPatch): VideoDetail {
    return this.curation.update(id, patch);
  }

  bulkUpdate(edit: BulkEdit): { updated: number } {
    return this.curation.bulkUpdate(edit);
  }

  remove(ids: readonly number[]): { removed: number } {
    return this.curation.remove(ids);
  }

  // ---------------------------------------------------------------- collections

  collections(): LibraryCollection[] {
    return this.collectionOps.list();
  }

  createCollection(name: string, description = ''): LibraryCollection {
    return this.collectionOps.create(name, description);
  }

  updateCollection(id: number, patch: { name?: string; description?: string }): LibraryCollection {
    return this.collectionOps.update(id, patch);
  }

  deleteCollection(id: number): void {
    this.collectionOps.delete(id);
  }

  reorderCollections(ids: readonly number[]): LibraryCollection[] {
    return this.collectionOps.reorder(ids);
  }

  collectionItems(id: number): VideoSummary[] {
    return this.collectionOps.itemsOf(id);
  }

  setCollectionItems(id: number, videoIds: readonly number[]): VideoSummary[] {
    return this.collectionOps.setItems(id, videoIds);
  }

  // ---------------------------------------------------------------- derived outputs (written by the job engine)

  registerOutput(input: RegisterOutputInput): DerivedOutput {
    return this.outputs.register(input);
  }

  listOutputs(videoId: number): DerivedOutput[] {
    return this.outputs.list(videoId);
  }

  removeOutput(id: number): void {
    this.outputs.remove(id);
  }

  // ---------------------------------------------------------------- media protocol

  resolveMedia(ref: MediaRef): string | null {
    return resolveMedia(this.lib, ref);
  }

  // ---------------------------------------------------------------- import (see importer.ts)

  import(paths: readonly string[], opts: ImportOptions = {}): Promise<ImportSummary> {
    return this.importer.run(paths, opts);
  }

  /** Rescans one root or all of them. */
  scan(rootId?: number, opts: ImportOptions = {}): Promise<ImportSummary> {
    const roots = this.roots().filter((r) => rootId === undefined || r.id === rootId);
    if (rootId !== undefined && roots.length === 0) throw new ChurchError('NOT_FOUND', `no library root with id ${rootId}`);
    if (roots.length === 0) throw new ChurchError('INVALID_INPUT', 'the library has no folders yet; import a folder first (church import PATH)');
    return this.importer.run(roots.map((r) => r.path), { ...opts, rescan: true });
  }

  cancelImport(importId?: string): { cancelled: boolean } {
    return { cancelled: this.importer.cancel(importId) };
  }

  /** Cancels a running import and resolves when it has stopped writing (the host awaits this on close). */
  async stopImports(): Promise<void> {
    this.importer.cancel();
    await this.importer.idle();
  }

  importStatus(): ImportProgress | null {
    return this.importer.status();
  }

  /** Generates missing posters/sprites (all again with force) for some items or the whole library. */
  regenerateAssets(ids?: readonly number[], force = false): Promise<{ generated: number; failed: { id: number; reason: string }[] }> {
    return this.importer.regenerate(ids, force);
  }

  // ---------------------------------------------------------------- importer's writes (see importWrites.ts)

  upsertRoot(path: string): number {
    return this.writes.upsertRoot(path);
  }

  touchRoots(ids: readonly number[]): void {
    this.writes.touchRoots(ids);
  }

  byPath(path: string): KnownFile | null {
    return this.writes.byPath(path);
  }

  markSeen(id: number, rootId: number | null, seenAt: string): void {
    this.writes.markSeen(id, rootId, seenAt);
  }

  movedCandidate(fingerprint: string, seenSince: string): number | null {
    return this.writes.movedCandidate(fingerprint, seenSince);
  }

  moveTo(id: number, facts: { path: string; rootId: number | null; sizeBytes: number; mtimeMs: number }, seenAt: string): void {
    this.writes.moveTo(id, facts, seenAt);
  }

  saveProbed(facts: MediaFacts, seenAt: string, existingId: number | null): number {
    return this.writes.saveProbed(facts, seenAt, existingId);
  }

  failureFor(path: string): { size_bytes: number; mtime_ms: number; code: ImportFailureCode; reason: string } | null {
    return this.writes.failureFor(path);
  }

  recordFailure(f: { path: string; rootId: number | null; code: ImportFailureCode; reason: string; sizeBytes: number; mtimeMs: number }): void {
    this.writes.recordFailure(f);
  }

  flagMissing(rootIds: readonly number[], seenSince: string): number[] {
    return this.writes.flagMissing(rootIds, seenSince);
  }

  recomputeDuplicates(fingerprints: readonly string[]): void {
    this.writes.recomputeDuplicates(fingerprints);
  }

  fingerprintsOf(ids: readonly number[]): string[] {
    return this.writes.fingerprintsOf(ids);
  }

  setAssetFlags(id: number, flags: { poster: boolean; sprite: boolean }): void {
    this.writes.setAssetFlags(id, flags);
  }

  assetTargets(ids?: readonly number[]): AssetTarget[] {
    return this.writes.assetTargets(ids);
  }
}
