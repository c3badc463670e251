/**
 * An agent's cue → drawn in the open preview, through `church serve`: an MCP client (the SDK, over stdio,
 * attached to the running studio) sends avatar_cue calls one after another while Chromium shows a 720p video
 * paused in the detail pane; the page records when its canvas drew each cue (a MutationObserver on the
 * canvas's data-say, set in the same task as the pixels). Latency = drawn (page clock) − sent (agent clock),
 * both Date.now() on this machine. Target: p95 ≤ 50 ms.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../tests/helpers/browser';
import { startServe } from '../tests/helpers/cli';
import { makeClip } from '../tests/helpers/media';
import { seedLibrary } from '../tests/helpers/studio';
import { connectMcp } from '../tests/helpers/mcp';
import { rounds } from './measure';
import { writeBenchResult } from './write-result';

const CUES = rounds(80, 20);
const WARMUP = 5;
const EXPRESSIONS = ['happy', 'sad', 'surprised', 'angry', 'wink', 'neutral'] as const;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'church-bench-avatar-'));
  const dataDir = join(root, 'data');
  mkdirSync(join(root, 'media'));
  const clip = await makeClip(join(root, 'media', 'matins.mp4'), { seconds: 10, width: 1280, height: 720 });
  await seedLibrary(dataDir, [clip]);
  const serve = await startServe(dataDir);
  const browser = await launchChromium();
  const mcp = await connectMcp(dataDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Where the milliseconds go: when the page's WebSocket received each cue event and when its handlers (the
    // store update and whatever they run at once) returned, on the same clock as the drawing.
    await page.addInitScript(`(() => {
      window.cueTimes = {};
      const d = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
      Object.defineProperty(WebSocket.prototype, 'onmessage', {
        get() { return d.get.call(this); },
        set(fn) {
          d.set.call(this, (ev) => {
            const m = typeof ev.data === 'string' && ev.data.includes('"avatar.cue"') ? /"say":"([^"]*)"/.exec(ev.data) : null;
            const received = Date.now();
            fn.call(this, ev);
            if (m) window.cueTimes[JSON.parse('"' + m[1] + '"')] = { received, handled: Date.now() };
          });
        },
      });
    })()`);
    await page.goto(serve.url);
    await page.getByTestId('lib-item').first().click({ timeout: 30_000 });
    await page.getByTestId('video-detail').locator('video').first().waitFor({ state: 'attached', timeout: 30_000 });
    // The overlay appears once the video has cues: the first one, sent before measuring, brings it up.
    const first = await mcp.client.callTool({ name: 'avatar_cue', arguments: { cue: { expression: 'happy', fadeMs: 0 } } });
    if (first.isError) throw new Error(JSON.stringify(first.content));
    await page.getByTestId('avatar-canvas').waitFor({ timeout: 30_000 });
    // Runs in the page (written as a string: this file is typed for Node, without the DOM's types).
    await page.evaluate(`(() => {
      const c = document.querySelector('[data-testid="avatar-canvas"]');
      window.drawnCues = {};
      new MutationObserver(() => {
        const say = c.dataset.say || '';
        if (say && !(say in window.drawnCues)) window.drawnCues[say] = Date.now();
      }).observe(c, { attributes: true, attributeFilter: ['data-say'] });
    })()`);
    const latencies: number[] = [];
    const answered: number[] = [];
    const received: number[] = [];
    const handled: number[] = [];
    for (let i = 0; i < CUES + WARMUP; i++) {
      const say = `Cue ${i}: ça marche`;
      const sentAt = Date.now();
      const r = await mcp.client.callTool({ name: 'avatar_cue', arguments: { cue: { expression: EXPRESSIONS[i % EXPRESSIONS.length], say, fadeMs: 0 } } });
      if (r.isError) throw new Error(JSON.stringify(r.content));
      const answeredAt = Date.now();
      await page.waitForFunction((s) => s in (globalThis as unknown as { drawnCues: Record<string, number> }).drawnCues, say, { timeout: 30_000, polling: 50 });
      const times = await page.evaluate((s) => {
        const g = globalThis as unknown as { drawnCues: Record<string, number>; cueTimes: Record<string, { received: number; handled: number }> };
        return { drawn: g.drawnCues[s]!, ...g.cueTimes[s] };
      }, say);
      if (i >= WARMUP) {
        latencies.push(times.drawn - sentAt);
        answered.push(answeredAt - sentAt);
        if (times.received !== undefined) received.push(times.received - sentAt);
        if (times.handled !== undefined) handled.push(times.handled - sentAt);
      }
    }
    const p95 = percentile(latencies, 95);
    writeBenchResult('avatar', {
      targets: [{ name: 'agent cue → drawn in the open preview (p95)', value: round(p95), unit: 'ms', target: '≤ 50', met: p95 <= 50 }],
      details: {
        cues: latencies.length,
        video: '1280x720, paused in the detail pane',
        path: 'MCP SDK client (stdio) → church mcp (attached) → church serve (WebSocket) → page → canvas',
        p50Ms: round(percentile(latencies, 50)),
        p95Ms: round(p95),
        maxMs: round(Math.max(...latencies)),
        toolAnsweredP50Ms: round(percentile(answered, 50)),
        toolAnsweredP95Ms: round(percentile(answered, 95)),
        // Sent → the page's WebSocket received the event / its handlers returned (same clock as drawn).
        pageReceivedP50Ms: round(percentile(received, 50)),
        pageReceivedP95Ms: round(percentile(received, 95)),
        handlersDoneP50Ms: round(percentile(handled, 50)),
        handlersDoneP95Ms: round(percentile(handled, 95)),
      },
    });
  } finally {
    await mcp.close();
    await browser.close();
    await serve.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
