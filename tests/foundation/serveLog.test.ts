import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../electron/host/EventHub';
import { createLineLog, logStudioEvents, parseLogLevel, scrubLine, type LogLevel } from '../../electron/host/serveLog';
import type { Job } from '../../shared/dto/jobs';
import type { VideoPage } from '../../shared/dto/library';
import type { Result } from '../../shared/errors';
import { church, startServe } from '../helpers/cli';
import { makeClip } from '../helpers/media';
import { callServeValue, seedLibrary } from '../helpers/studio';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

interface LogLine {
  at: string;
  level: LogLevel;
  msg: string;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

describe('church serve logs one line per event on stderr', () => {
  const dir = tempDir('serve-log-');

  it('started, listening (no token), clients, jobs queued/done/failed, a backup and the shutdown, as JSON lines with --json', async () => {
    const good = await makeClip(join(dir, 'good.mp4'), { seconds: 1 });
    const bad = await makeClip(join(dir, 'bad.mp4'), { seconds: 1 });
    const dataDir = join(dir, 'data');
    let goodId = 0;
    let badId = 0;
    await seedLibrary(dataDir, [good, bad], {
      then: async (host) => {
        const r = (await host.dispatch('library.search', {}, { actor: 'cli' })) as Result<VideoPage>;
        if (!r.ok) throw new Error(r.error.message);
        const page = r.value;
        goodId = page.items.find((v) => v.fileName === 'good.mp4')!.id;
        badId = page.items.find((v) => v.fileName === 'bad.mp4')!.id;
      },
    });
    // Imported, then spoiled on disk: its job fails when ffmpeg reads it.
    writeFileSync(bad, Buffer.alloc(4096, 0x42));
    const serve = await startServe(dataDir);
    const token = new URL(serve.url).searchParams.get('token')!;
    let stopped = false;
    try {
      const done = await callServeValue<Job>(serve, 'jobs.enqueue', { videoId: goodId, preset: 'thumbnail' });
      const failed = await callServeValue<Job>(serve, 'jobs.enqueue', { videoId: badId, preset: 'thumbnail' });
      await callServeValue(serve, 'backup.run', { restic: false });
      await waitFor('both jobs finished in the log', () => {
        const msgs = logLines(serve.stderr()).map((l) => l.msg);
        return msgs.some((m) => m.startsWith(`job ${done.id} `) && m.includes(' done')) && msgs.some((m) => m.startsWith(`job ${failed.id} `) && m.includes(' failed: '));
      });
      await serve.stop();
      stopped = true;
      const lines = logLines(serve.stderr());
      const msgs = lines.map((l) => `${l.level} ${l.msg}`);
      expect(msgs[0]).toMatch(/^info started BambiSleep Church Studio .* \(church serve, pid \d+, data dir /);
      expect(msgs).toContain(`info listening on http://127.0.0.1:${serve.port}/ (the page's address with its token is on standard output)`);
      expect(msgs).toContainEqual(expect.stringMatching(/^info client connected \(web; 1 connected\)$/));
      expect(msgs).toContainEqual(expect.stringMatching(/^info client disconnected \(web; 0 connected\)$/));
      expect(msgs).toContain(`info job ${done.id} (thumbnail, video ${goodId}) queued`);
      expect(msgs).toContainEqual(expect.stringMatching(new RegExp(`^info job ${done.id} \\(thumbnail, video ${goodId}\\) done in [\\d.]+ s: `)));
      expect(msgs).toContainEqual(expect.stringMatching(new RegExp(`^warn job ${failed.id} \\(thumbnail, video ${badId}\\) failed: .+`)));
      expect(msgs).toContainEqual(expect.stringMatching(/^info backup done in [\d.]+ s: snapshot \S+/));
      // The page's socket may close before or after the signal; the shutdown's own lines come in this order.
      const tail = msgs.filter((m) => !m.startsWith('info client '));
      expect(tail.slice(-2)).toEqual(['info stopping (SIGTERM)', 'info stopped']);
      // Once per change: a job's progress ticks and repeated states add no lines.
      expect(msgs.filter((m) => m.startsWith(`info job ${done.id} `) && m.endsWith(' queued'))).toHaveLength(1);
      // info is the default: no debug lines.
      expect(lines.filter((l) => l.level === 'debug')).toEqual([]);
      for (const l of lines) expect(Number.isNaN(Date.parse(l.at))).toBe(false);
      expect(serve.stderr()).not.toContain(token);
    } finally {
      if (!stopped) await serve.stop();
    }
  });

  it('a wrong --log-level is a usage error (exit 2) that names the levels', async () => {
    const dataDir = join(dir, 'quiet');
    const wrong = await church(['serve', '--data-dir', dataDir, '--log-level', 'loud']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe('church: --log-level must be one of error, warn, info, debug, got loud');
  });
});

describe('the serve log (lines, levels, journald, events)', () => {
  function capture(level: LogLevel, journal = false) {
    const out: string[] = [];
    const log = createLineLog({ level, journal, write: (l) => out.push(l), now: () => new Date('2030-01-02T03:04:05.000Z') });
    return { log, out };
  }

  it('writes TIME LEVEL text in a terminal, <N>text under journald, and drops what is below the level', () => {
    const term = capture('info');
    term.log.log('debug', 'hidden');
    term.log.log('info', 'shown');
    term.log.log('error', 'bad');
    expect(term.out).toEqual(['2030-01-02T03:04:05.000Z info  shown\n', '2030-01-02T03:04:05.000Z error bad\n']);
    const journal = capture('debug', true);
    for (const l of ['error', 'warn', 'info', 'debug'] as const) journal.log.log(l, l);
    expect(journal.out).toEqual(['<3>error\n', '<4>warn\n', '<6>info\n', '<7>debug\n']);
    expect(parseLogLevel(undefined)).toBe('info');
  });

  it('keeps tokens, keys and URL passwords out of a line, and a line one line', () => {
    expect(scrubLine('open http://127.0.0.1:8421/?token=abcdefSECRET now')).toBe('open http://127.0.0.1:8421/?token=*** now');
    expect(scrubLine('key rk_live_0123456789abcdef used')).not.toContain('0123456789abcdef');
    expect(scrubLine('restic rest:https://u:hunter2@nas/repo failed')).not.toContain('hunter2');
    expect(scrubLine('two\nlines')).toBe('two lines');
  });

  it('alerts: fired and escalated warn (critical is an error), cleared is info', () => {
    const hub = new EventHub();
    const { log, out } = capture('info', true);
    const off = logStudioEvents(hub, log);
    hub.emit('monitor.alert', { kind: 'fired', level: 'warn', title: 'CPU hot', body: 'cpu 91 °C for 60 s', at: 1, alertId: 1 });
    hub.emit('monitor.alert', { kind: 'escalated', level: 'critical', title: 'CPU hot', body: 'cpu 99 °C', at: 2, alertId: 1 });
    hub.emit('monitor.alert', { kind: 'cleared', level: 'warn', title: 'CPU hot', body: '', at: 3, alertId: 1 });
    hub.emit('system.notice', { level: 'warning', message: 'the disk is nearly full' });
    off();
    hub.emit('system.notice', { level: 'error', message: 'after unsubscribe' });
    expect(out).toEqual([
      '<4>alert fired (warn): CPU hot — cpu 91 °C for 60 s\n',
      '<3>alert escalated (critical): CPU hot — cpu 99 °C\n',
      '<6>alert cleared (warn): CPU hot\n',
      '<4>the disk is nearly full\n',
    ]);
  });
});
