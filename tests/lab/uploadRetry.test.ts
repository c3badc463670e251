import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadOutput, UploadRefused } from '../../electron/domains/lab/agent/uploadOutput';
import { outcomeOfLabEnd } from '../../electron/domains/lab/labExecutor';
import { readFailure, tagFailure } from '../../electron/domains/lab/protocol';
import { tempDir } from '../helpers/tempDir';

// Soak findings 4 and 5: a lab encode killed by a signal read as a bad source, and an upload cut off read as
// "fetch failed; check the source file". A real HTTP server on 127.0.0.1 stands for the studio's receiver.

let server: Server | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (s) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A receiver answering each PUT as `answer` says for that attempt (1-based): cut the connection, or a status. */
async function receiver(answer: (attempt: number) => 'cut' | number): Promise<{ url: string; attempts: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    n++;
    const a = answer(n);
    if (a === 'cut') return void req.socket.destroy();
    req.resume();
    req.once('end', () => res.writeHead(a, { 'content-type': 'text/plain' }).end(a === 201 ? '' : 'the disk holding /out has 1 MB free\n'));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/output/x`, attempts: () => n };
}

function outputFile(): string {
  const f = join(tempDir('church-upload-'), 'out.mp4');
  writeFileSync(f, Buffer.alloc(256 * 1024, 7));
  return f;
}

describe('the agent uploads its output', () => {
  it('a connection cut off is tried again, and the second try lands', async () => {
    const r = await receiver((n) => (n === 1 ? 'cut' : 201));
    await uploadOutput(outputFile(), r.url, { pauseMs: 10 });
    expect(r.attempts()).toBe(2);
  });

  it('cut off every time: bounded tries, then an upload failure in words (never "fetch failed" alone)', async () => {
    const r = await receiver(() => 'cut');
    await expect(uploadOutput(outputFile(), r.url, { tries: 3, pauseMs: 10 })).rejects.toThrow(/^the upload of the output to the studio was cut off 3 times \(.+\); check the network between the agent and the studio, then retry the job$/);
    expect(r.attempts()).toBe(3);
  });

  it('a refusal is the studio’s answer: not tried again', async () => {
    const r = await receiver(() => 507);
    await expect(uploadOutput(outputFile(), r.url, { pauseMs: 10 })).rejects.toBeInstanceOf(UploadRefused);
    expect(r.attempts()).toBe(1);
  });
});

describe('a lab failure in the job’s words', () => {
  it('a killed ffmpeg reads as the local one; a failed upload as an output not stored; never as a bad source', () => {
    expect(readFailure(tagFailure('killed', 'SIGKILL', 'ffmpeg was killed (SIGKILL) on beta'))).toEqual({ kind: 'killed', detail: 'SIGKILL', message: 'ffmpeg was killed (SIGKILL) on beta' });
    expect(readFailure('ffmpeg failed on beta (exit 1): Invalid data')).toEqual({ kind: null, detail: '', message: 'ffmpeg failed on beta (exit 1): Invalid data' });
    const killed = outcomeOfLabEnd({ kind: 'killed', signal: 'SIGKILL', logTail: '' }, '/out/x.mp4');
    expect(killed).toMatchObject({ kind: 'failed', reason: 'ffmpeg was killed (SIGKILL) by something outside the studio; retry the job' });
    const notStored = outcomeOfLabEnd({ kind: 'notStored', reason: 'the upload of the output to the studio was cut off 3 times (ECONNRESET); check the network', space: null, logTail: '' }, '/out/x.mp4');
    expect(notStored).toMatchObject({ kind: 'failed', reason: 'the output could not be stored: the upload of the output to the studio was cut off 3 times (ECONNRESET); check the network' });
    for (const o of [killed, notStored]) expect(o.kind === 'failed' && o.reason).not.toMatch(/check the source file/);
  });
});
