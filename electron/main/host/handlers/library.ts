import type { libraryRequests } from '../../../../shared/contract/library';
import { ChurchError } from '../../../../shared/errors';
import type { LibraryStore } from '../../services/library';
import type { DomainHandlers } from './types';

const pending = (): never => {
  throw new ChurchError('UNAVAILABLE', 'the library service is being built; try again after the next update');
};

export function libraryHandlers(library: LibraryStore): DomainHandlers<typeof libraryRequests> {
  void library;
  return {
    'library.import': pending,
    'library.scan': pending,
    'library.cancelImport': pending,
    'library.importStatus': () => null,
    'library.search': pending,
    'library.get': pending,
    'library.update': pending,
    'library.bulkUpdate': pending,
    'library.remove': pending,
    'library.tags': pending,
    'library.collections': pending,
    'library.createCollection': pending,
    'library.updateCollection': pending,
    'library.deleteCollection': pending,
    'library.reorderCollections': pending,
    'library.collectionItems': pending,
    'library.setCollectionItems': pending,
    'library.duplicates': pending,
    'library.failures': pending,
    'library.roots': pending,
    'library.removeRoot': pending,
    'library.outputs': pending,
    'library.regenerateAssets': pending,
    'library.stats': pending,
  };
}
