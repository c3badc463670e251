import type { libraryRequests } from '../../../../shared/contract/library';
import { LibraryStore } from '../../services/library';
import type { HostCore } from '../createHost';
import { libraryHandlers } from '../handlers/library';
import type { ComposedDomain } from './types';

export function composeLibrary(core: HostCore): ComposedDomain<LibraryStore, typeof libraryRequests> {
  const library = new LibraryStore(core.db);
  return {
    service: library,
    handlers: libraryHandlers(library),
    resolveMedia: (ref) => (ref.kind === 'video' && !ref.file ? library.pathOf(ref.id) : null),
  };
}
