import { inProcessTransport, type ContractTransport } from '../../../shared/contract/client';
import type { Host } from '../createHost';
import type { Actor } from '../handlers/types';

/** The contract against a host composed in this process: its dispatcher (as `actor`) and its events. */
export function hostTransport(host: Pick<Host, 'dispatch' | 'events'>, actor: Actor): ContractTransport {
  return inProcessTransport(
    (name, input) => host.dispatch(name, input, { actor }),
    (listener) => host.events.subscribe(listener),
  );
}
