import type { libraryRequests } from '../../../shared/contract/library';
import type { LibraryStore } from '../../domains/library';
import type { DomainHandlers } from './types';

/** The library's contract handlers: thin, the store validates ids and says what went wrong. */
export function libraryHandlers(library: LibraryStore): DomainHandlers<typeof libraryRequests> {
  return {
    'library.import': ({ paths, assets }) => library.import(paths, { assets }),
    'library.scan': ({ rootId, assets }) => library.scan(rootId, { assets }),
    'library.cancelImport': ({ importId }) => library.cancelImport(importId),
    'library.importStatus': () => library.importStatus(),
    'library.search': (spec) => library.search(spec),
    'library.get': ({ id }) => library.requireVideo(id),
    'library.update': ({ id, patch }) => library.update(id, patch),
    'library.bulkUpdate': (edit) => library.bulkUpdate(edit),
    'library.remove': ({ ids }) => library.remove(ids),
    'library.tags': () => library.tags(),
    'library.collections': () => library.collections(),
    'library.createCollection': ({ name, description }) => library.createCollection(name, description),
    'library.updateCollection': ({ id, name, description }) => library.updateCollection(id, { name, description }),
    'library.deleteCollection': ({ id }) => {
      library.deleteCollection(id);
      return null;
    },
    'library.reorderCollections': ({ ids }) => library.reorderCollections(ids),
    'library.collectionItems': ({ id }) => library.collectionItems(id),
    'library.setCollectionItems': ({ id, videoIds }) => library.setCollectionItems(id, videoIds),
    'library.duplicates': () => library.duplicates(),
    'library.failures': ({ rootId }) => library.failures(rootId),
    'library.dismissFailures': ({ paths }) => library.dismissFailures(paths),
    'library.roots': () => library.roots(),
    'library.removeRoot': ({ id }) => {
      library.removeRoot(id);
      return null;
    },
    'library.outputs': ({ videoId }) => {
      library.requireVideo(videoId);
      return library.listOutputs(videoId);
    },
    'library.regenerateAssets': ({ ids, force }) => library.regenerateAssets(ids, force),
    'library.stats': () => library.stats(),
  };
}
