import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isSecretVar, runProcess, type RunResult } from '../../electron/platform/process';

export const CHURCH_BIN = join(import.meta.dirname, '..', '..', 'bin', 'church.js');

/** Runs `church ...` as a real child process, the way a user or CI would. */
export function church(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; stdin?: string } = {}): Promise<RunResult> {
  // runProcess keeps secrets from children; a test that hands `church` its Stripe key does so deliberately.
  const secretEnv = Object.fromEntries(Object.entries(opts.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined && isSecretVar(e[0])));
  return runProcess(process.execPath, [CHURCH_BIN, ...args], { env: { ...process.env, ...opts.env }, secretEnv, timeoutMs: opts.timeoutMs ?? 60_000, stdin: opts.stdin });
}

/** Starts `church serve` and resolves with its URL once it prints it. */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv = {}, opts: { cpu?: number } = {}): Promise<{ url: string; port: number; child: ChildProcess; stderr(): string; stop(): Promise<void> }> {
  // cpu: pinned to one core with taskset (benchmarks), its ffmpeg children inheriting it.
  const argv = [process.execPath, CHURCH_BIN, 'serve', '--json', '--data-dir', dataDir];
  const cmd = opts.cpu === undefined ? argv : ['taskset', '-c', String(opts.cpu), ...argv];
  const child = spawn(cmd[0]!, cmd.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`church serve printed no URL in 30 s: ${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        const parsed = JSON.parse(out) as { url: string; port: number };
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`church serve exited with ${code}: ${err}`));
    });
  });
  return {
    ...info,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
