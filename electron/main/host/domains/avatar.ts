import type { avatarRequests } from '../../../../shared/contract/avatar';
import { AvatarService } from '../../services/avatar';
import type { LibraryStore } from '../../services/library';
import type { HostCore } from '../createHost';
import type { ComposedDomain } from './types';

export function composeAvatar(_core: HostCore, _deps: { library: LibraryStore }): ComposedDomain<AvatarService, typeof avatarRequests> {
  return { service: new AvatarService(), handlers: {} };
}
