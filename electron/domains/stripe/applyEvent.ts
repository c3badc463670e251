import type { StripeObjectType } from '../../../shared/dto/stripe';
import { isObjectType, type StripeObjectJson, type StripeStore } from './store';

export interface StripeEventJson {
  id: string;
  object?: string;
  type: string;
  created: number;
  data: { object: StripeObjectJson };
}

/**
 * Subscriptions in events carry `discounts` as ids (only lists are fetched with them expanded); keep the
 * expanded discount objects already stored for the ids that are still there, so MRR keeps its discounts.
 */
function keepExpandedDiscounts(next: StripeObjectJson, prev: StripeObjectJson | null): StripeObjectJson {
  if (!prev || !Array.isArray(next.discounts) || !Array.isArray(prev.discounts)) return next;
  const known = new Map<string, unknown>();
  for (const d of prev.discounts as unknown[]) if (d && typeof d === 'object' && 'id' in d && typeof d.id === 'string') known.set(d.id, d);
  return { ...next, discounts: (next.discounts as unknown[]).map((d) => (typeof d === 'string' ? (known.get(d) ?? d) : d)) };
}

/**
 * Applies one event (from the Events API or a verified webhook) to the live copy. Returns the object type it
 * touched, or null for events about objects the studio does not keep. `*.deleted` marks the object deleted;
 * a canceled subscription (`customer.subscription.deleted`) is a status, so it is stored as sent.
 */
export function applyEvent(store: StripeStore, event: StripeEventJson): StripeObjectType | null {
  const obj = event.data?.object;
  if (!obj || typeof obj.id !== 'string' || typeof obj.object !== 'string' || !isObjectType(obj.object)) return null;
  const type = obj.object;
  const prev = store.get(type, obj.id);
  // An event older than what is stored (webhooks can arrive late) must not roll the object back.
  const prevStamp = prev ? Number((prev as { __event_created?: number }).__event_created ?? 0) : 0;
  if (prevStamp > event.created) return type;
  if (event.type.endsWith('.deleted') && type !== 'subscription') {
    store.put(type, { ...(prev ?? obj), ...obj, deleted: true, __event_created: event.created });
    return type;
  }
  const next = type === 'subscription' ? keepExpandedDiscounts(obj, prev) : obj;
  store.put(type, { ...next, __event_created: event.created });
  return type;
}
