import { join } from 'node:path';
import type { libraryRequests } from '../../../shared/contract/library';
import { LibraryStore } from '../../domains/library';
import type { HostCore } from '../hostCore';
import { libraryHandlers } from '../handlers/library';
import type { ComposedDomain } from './types';

export function composeLibrary(core: HostCore): ComposedDomain<LibraryStore, typeof libraryRequests> {
  const library = new LibraryStore(core.db, {
    assetsDir: join(core.dataDir, 'library-assets'),
    env: core.env,
    onProgress: (p) => core.events.emit('library.importProgress', p),
    onChanged: (ids, reason) => core.events.emit('library.changed', { ids, reason }),
  });
  return {
    service: library,
    handlers: libraryHandlers(library),
    resolveMedia: (ref) => library.resolveMedia(ref),
    // An import in flight stops with the host; what it already wrote stays.
    close: () => library.stopImports(),
  };
}
