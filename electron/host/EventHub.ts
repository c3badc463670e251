import type { EventName, EventPayload } from '../../shared/contract';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** Services emit typed events here; each transport (IPC, WebSocket, MCP) subscribes once and forwards. */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch (e) {
        // A broken transport must not stop the others, nor the service that emitted.
        console.error(`event listener failed for ${name}:`, e);
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
