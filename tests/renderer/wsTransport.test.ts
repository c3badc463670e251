import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameQueue } from '../../renderer/src/lib/frameQueue';
import { CALL_TIMEOUT_MS, createWsTransport } from '../../renderer/src/lib/wsTransport';

// The browser transport's queue of calls made while the link is down, with a scripted WebSocket (the real
// one needs a server; what matters here is which frames go out and when).

class ScriptedSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static all: ScriptedSocket[] = [];
  readyState = ScriptedSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    ScriptedSocket.all.push(this);
  }
  send(frame: string): void {
    if (this.readyState !== ScriptedSocket.OPEN) throw new Error('send on a socket that is not open');
    this.sent.push(frame);
  }
  open(): void {
    this.readyState = ScriptedSocket.OPEN;
    this.onopen?.();
  }
  fail(): void {
    this.readyState = ScriptedSocket.CLOSED;
    this.onclose?.();
  }
  answer(id: number, value: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id, result: { ok: true, value } }) });
  }
}

const sentNames = (s: ScriptedSocket) => s.sent.map((f) => (JSON.parse(f) as { name: string }).name);

describe('FrameQueue', () => {
  it('drains in call order and forgets a frame taken out', () => {
    const q = new FrameQueue();
    q.add(1, 'a');
    q.add(2, 'b');
    q.add(3, 'c');
    expect(q.remove(2)).toBe(true);
    expect(q.remove(2)).toBe(false);
    const out: string[] = [];
    q.drain((f) => out.push(f));
    expect(out).toEqual(['a', 'c']);
    expect(q.size).toBe(0);
  });
});

describe('the WebSocket transport while the link is down', () => {
  beforeEach(() => {
    ScriptedSocket.all = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', ScriptedSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('a queued call that timed out is not sent when the link comes back', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws');
    const sock = ScriptedSocket.all[0]!;
    // The socket stays connecting (an unreachable host) past the call timeout.
    const result = t.invoke('library.bulkUpdate', { ids: [1], rating: 5 });
    await vi.advanceTimersByTimeAsync(CALL_TIMEOUT_MS + 1);
    expect(await result).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    const later = t.invoke('library.tags', {});
    sock.open();
    expect(sentNames(sock)).toEqual(['library.tags']); // the timed-out mutation never went out
    const id = (JSON.parse(sock.sent[0]!) as { id: number }).id;
    sock.answer(id, []);
    expect(await later).toEqual({ ok: true, value: [] });
  });

  it('a queued call failed by a failed connection attempt is not sent on the next one', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws');
    const first = ScriptedSocket.all[0]!;
    const result = t.invoke('library.bulkUpdate', { ids: [1], rating: 5 });
    first.fail();
    expect(await result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/not sent/) } });
    await vi.advanceTimersByTimeAsync(300); // the reconnect backoff
    const second = ScriptedSocket.all[1]!;
    second.open();
    expect(second.sent).toEqual([]);
  });

  it('calls made while connecting are sent, in order, once the link opens', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws');
    const sock = ScriptedSocket.all[0]!;
    void t.invoke('library.tags', {});
    void t.invoke('jobs.presets', {});
    sock.open();
    expect(sentNames(sock)).toEqual(['library.tags', 'jobs.presets']);
  });
});
