/**
 * Request frames waiting for the link to come up, by call id, in the order they were made. A call that is
 * failed (timeout, or the connection attempt failing) takes its frame back out, so a mutating call the UI
 * already reported as failed is never sent on a later reconnect.
 */
export class FrameQueue {
  private readonly frames = new Map<number, string>();

  add(id: number, frame: string): void {
    this.frames.set(id, frame);
  }

  /** Takes a frame back out; true when it was still waiting (never sent). */
  remove(id: number): boolean {
    return this.frames.delete(id);
  }

  has(id: number): boolean {
    return this.frames.has(id);
  }

  get size(): number {
    return this.frames.size;
  }

  /** Hands every waiting frame to `send`, oldest first, and forgets them. */
  drain(send: (frame: string) => void): void {
    const frames = [...this.frames.values()];
    this.frames.clear();
    for (const f of frames) send(f);
  }
}
