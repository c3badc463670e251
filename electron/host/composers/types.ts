import type { MediaResolver } from '../../platform/mediaserve';
import type { DomainHandlers } from '../handlers/types';

/** What a domain's composer hands to createHost: its service, its contract handlers, and what it owns. */
export interface ComposedDomain<S, R> {
  service: S;
  handlers: DomainHandlers<R>;
  /** The media kinds this domain serves by id (shared/dto/media.ts); null when the ref is not its own. */
  resolveMedia?: MediaResolver;
  /** Starts timers and engines; called only in the primary process, after every domain is composed. */
  start?(): void;
  /** Stops timers, child processes and servers; called once when the host closes. */
  close?(): Promise<void> | void;
}
