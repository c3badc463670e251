import { z } from 'zod';
import { OWNER, OWNER_AND_MCP, event, request } from './define';
import {
  ACCESS_TIERS,
  LIBRARY_SORTS,
  type DerivedOutput,
  type DuplicateGroup,
  type ImportFailure,
  type ImportProgress,
  type ImportSummary,
  type LibraryCollection,
  type LibraryRoot,
  type LibraryStats,
  type LibraryTag,
  type VideoDetail,
  type VideoPage,
  type VideoSummary,
} from '../dto/library';

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(10_000);
/** Tags are short labels; stored trimmed and lower-cased so "Trance" and "trance " are one tag. */
const tag = z.string().trim().min(1).max(64).refine((t) => !t.includes(',') && ![...t].some((c) => c.charCodeAt(0) < 32), 'no commas or control characters');
const tags = z.array(tag).max(200);
const rating = z.number().int().min(0).max(5);
const tier = z.enum(ACCESS_TIERS);
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'no NUL characters')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path');

export const libraryFiltersSchema = z
  .object({
    query: z.string().max(500).optional(),
    kind: z.enum(['video', 'audio']).optional(),
    tiers: z.array(tier).max(3).optional(),
    minRating: rating.optional(),
    maxRating: rating.optional(),
    favourite: z.boolean().optional(),
    tags: tags.optional(),
    minDurationSec: z.number().min(0).optional(),
    maxDurationSec: z.number().min(0).optional(),
    minHeight: z.number().int().min(0).optional(),
    maxHeight: z.number().int().min(0).optional(),
    codecs: z.array(z.string().min(1).max(32)).max(20).optional(),
    missing: z.boolean().optional(),
    duplicate: z.boolean().optional(),
    collectionId: id.optional(),
    rootId: id.optional(),
  })
  .strict();

export const librarySearchSchema = libraryFiltersSchema
  .extend({
    sort: z.enum(LIBRARY_SORTS).default('addedAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(500).default(100),
    /** Offset paging (jump to a row); ignored when `cursor` is given. */
    offset: z.number().int().min(0).max(10_000_000).default(0),
    /** Keyset paging: the `nextCursor` of the previous page. */
    cursor: z.string().max(2000).optional(),
    /** Skip counting all matches (total is then -1): the cheapest page for infinite scrolling. */
    withTotal: z.boolean().default(true),
  })
  .strict();

const curationPatch = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    notes: z.string().max(20_000).optional(),
    rating: rating.optional(),
    favourite: z.boolean().optional(),
    tier: tier.optional(),
    tags: tags.optional(),
  })
  .strict();

export const libraryRequests = {
  'library.import': request<ImportSummary>()({
    actors: OWNER,
    input: z
      .object({
        /** Files and folders (recursive); each folder becomes a library root that `library.scan` revisits. */
        paths: z.array(absolutePath).min(1).max(1000),
        /** Generate posters and scrub sprites after probing (default true). */
        assets: z.boolean().default(true),
      })
      .strict(),
    description: 'Imports files and folders: probes new and changed files, tracks moves, flags missing ones. Progress as library.importProgress; resolves with the summary.',
    mutates: true,
  }),
  'library.scan': request<ImportSummary>()({
    actors: OWNER,
    input: z.object({ rootId: id.optional(), assets: z.boolean().default(true) }).strict(),
    description: 'Rescans one root (or all): new, changed, moved and missing files. Curation is never lost.',
    mutates: true,
  }),
  'library.cancelImport': request<{ cancelled: boolean }>()({
    actors: OWNER,
    input: z.object({ importId: z.string().max(64).optional() }).strict(),
    description: 'Cancels the running import or scan; what was already imported stays, consistently.',
    mutates: true,
  }),
  'library.importStatus': request<ImportProgress | null>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'The running import, if any (for a screen opened mid-import).',
  }),
  'library.search': request<VideoPage>()({
    actors: OWNER_AND_MCP,
    input: librarySearchSchema,
    description: 'Lists items with full-text query (title, file name, tags, collections, notes), filters, sort and paging.',
  }),
  'library.get': request<VideoDetail>()({
    actors: OWNER_AND_MCP,
    input: z.object({ id }).strict(),
    description: 'One item with its probe, curation, collections, duplicates and derived outputs.',
  }),
  'library.update': request<VideoDetail>()({
    actors: OWNER,
    input: z.object({ id, patch: curationPatch }).strict(),
    description: 'Edits the curation of one item (title, notes, rating, favourite, tier, tags).',
    mutates: true,
  }),
  'library.bulkUpdate': request<{ updated: number }>()({
    actors: OWNER,
    input: z
      .object({
        ids,
        addTags: tags.optional(),
        removeTags: tags.optional(),
        rating: rating.optional(),
        favourite: z.boolean().optional(),
        tier: tier.optional(),
        addToCollectionId: id.optional(),
        removeFromCollectionId: id.optional(),
      })
      .strict(),
    description: 'Tags/untags/rates/sets tier of many items in one transaction.',
    mutates: true,
  }),
  'library.remove': request<{ removed: number }>()({
    actors: OWNER,
    input: z.object({ ids }).strict(),
    description: 'Forgets items (their curation and assets); the files on disk are not touched.',
    mutates: true,
  }),
  'library.tags': request<LibraryTag[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'Every tag with the number of items carrying it.',
  }),
  'library.collections': request<LibraryCollection[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'Collections in their order.',
  }),
  'library.createCollection': request<LibraryCollection>()({
    actors: OWNER,
    input: z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(5000).default('') }).strict(),
    description: 'Creates a collection at the end of the list.',
    mutates: true,
  }),
  'library.updateCollection': request<LibraryCollection>()({
    actors: OWNER,
    input: z.object({ id, name: z.string().trim().min(1).max(200).optional(), description: z.string().max(5000).optional() }).strict(),
    description: 'Renames or re-describes a collection.',
    mutates: true,
  }),
  'library.deleteCollection': request<null>()({
    actors: OWNER,
    input: z.object({ id }).strict(),
    description: 'Deletes a collection (its items stay in the library).',
    mutates: true,
  }),
  'library.reorderCollections': request<LibraryCollection[]>()({
    actors: OWNER,
    input: z.object({ ids: z.array(id).max(10_000) }).strict(),
    description: 'Sets the order of collections (ids not listed keep their relative order after the listed ones).',
    mutates: true,
  }),
  'library.collectionItems': request<VideoSummary[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({ id }).strict(),
    description: 'The items of a collection, in the collection order.',
  }),
  'library.setCollectionItems': request<VideoSummary[]>()({
    actors: OWNER,
    input: z.object({ id, videoIds: z.array(id).max(10_000) }).strict(),
    description: 'Replaces the items of a collection with this ordered list (adds, removes and reorders at once).',
    mutates: true,
  }),
  'library.duplicates': request<DuplicateGroup[]>()({
    actors: OWNER,
    input: z.object({}).strict(),
    description: 'Groups of items with the same content fingerprint.',
  }),
  'library.failures': request<ImportFailure[]>()({
    actors: OWNER,
    input: z.object({ rootId: id.optional() }).strict(),
    description: 'Files the imports could not use, with the reason for each.',
  }),
  'library.dismissFailures': request<{ dismissed: number }>()({
    actors: OWNER,
    input: z.object({ paths: z.array(absolutePath).min(1).max(10_000) }).strict(),
    description: 'Dismisses failed imports from the list of problems (the files are not touched); the next import of a dismissed file probes it again.',
    mutates: true,
  }),
  'library.roots': request<LibraryRoot[]>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'The folders the library scans.',
  }),
  'library.removeRoot': request<null>()({
    actors: OWNER,
    input: z.object({ id }).strict(),
    description: 'Stops scanning a folder; its items stay in the library.',
    mutates: true,
  }),
  'library.outputs': request<DerivedOutput[]>()({
    actors: OWNER,
    input: z.object({ videoId: id }).strict(),
    description: 'The files the job engine derived from an item.',
  }),
  'library.regenerateAssets': request<{ generated: number; failed: { id: number; reason: string }[] }>()({
    actors: OWNER,
    input: z.object({ ids: z.array(id).max(10_000).optional(), force: z.boolean().default(false) }).strict(),
    description: 'Generates posters and scrub sprites that are missing (force: all of them again). No ids = the whole library.',
    mutates: true,
  }),
  'library.stats': request<LibraryStats>()({
    actors: OWNER_AND_MCP,
    input: z.object({}).strict(),
    description: 'Counts and totals of the library.',
  }),
};

export const libraryEvents = {
  'library.importProgress': event<ImportProgress>('A running import or scan, a few times a second and once at its end.'),
  'library.changed': event<{ ids: number[] | null; reason: 'import' | 'curation' | 'assets' | 'remove' | 'collections' | 'outputs' }>(
    'Items changed (null ids: many or unknown); lists should refresh.',
  ),
};
