import { join } from 'node:path';
import type { avatarRequests } from '../../../shared/contract/avatar';
import { AvatarService } from '../../domains/avatar';
import type { LibraryStore } from '../../domains/library';
import type { HostCore } from '../hostCore';
import { avatarHandlers } from '../handlers/avatar';
import type { ComposedDomain } from './types';

export function composeAvatar(core: HostCore, deps: { library: LibraryStore }): ComposedDomain<AvatarService, typeof avatarRequests> {
  const avatar = new AvatarService({
    db: core.db,
    settings: core.settings,
    emit: (name, payload) => core.events.emit(name, payload),
    videoExists: (id) => deps.library.pathOf(id) !== null,
    videoPath: (id) => deps.library.pathOf(id),
    env: core.env,
    expressionsDir: join(core.dataDir, 'avatar', 'expressions'),
  });
  return { service: avatar, handlers: avatarHandlers(avatar) };
}
