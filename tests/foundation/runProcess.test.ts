import { describe, expect, it } from 'vitest';
import { runProcess } from '../../electron/platform/process';

const node = process.execPath;

describe('runProcess', () => {
  it('passes arguments verbatim, with no shell in between', async () => {
    const hostile = ['$(touch /tmp/pwned)', '`id`', "a'b\"c", '; rm -rf /', 'ünï cødé'];
    const r = await runProcess(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...hostile]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(hostile);
  });

  it('kills a hung process at its timeout', async () => {
    const r = await runProcess(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGTERM');
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runProcess(node, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], {
      timeoutMs: 500,
      killGraceMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
  });

  it('reports a missing program instead of throwing', async () => {
    const r = await runProcess('/nonexistent/ffmpeg', ['-version']);
    expect(r.code).toBeNull();
    expect(r.spawnError).toMatch(/ENOENT/);
  });

  it('keeps only the tail of a flood of output', async () => {
    const r = await runProcess(node, ['-e', "for (let i = 0; i < 20000; i++) console.log('line ' + i)"], { maxOutputBytes: 1000 });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(1000);
    expect(r.stdout.trimEnd().endsWith('line 19999')).toBe(true);
  });

  it('stops on an abort signal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runProcess(node, ['-e', 'setInterval(() => {}, 1000)'], { signal: ac.signal });
    expect(r.aborted).toBe(true);
    expect(r.code).toBeNull();
  });
});

describe('runProcess with grandchildren', () => {
  it('kills the whole process group of a hung script at its timeout', async () => {
    const started = performance.now();
    const r = await runProcess('/bin/sh', ['-c', 'sleep 30; echo never'], { timeoutMs: 300, killGraceMs: 200, killGroup: true });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).not.toContain('never');
    // Bounded by the timeout, not by the 30 s sleep (generous margin for a loaded machine).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('returns soon after the program exits even if a background child keeps stdout open', async () => {
    const started = performance.now();
    const r = await runProcess('/bin/sh', ['-c', 'sleep 3 & echo done']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('done');
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
