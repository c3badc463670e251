import { isRequestName, requests } from '../../shared/contract';
import type { RequestLookup } from './dispatch';

/** Every request of the contract: the lookup of a host that composes every domain (the app, serve, mcp). */
export const wholeContract: RequestLookup = (name) => (isRequestName(name) ? requests[name] : undefined);
