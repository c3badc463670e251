import { spawn } from 'node:child_process';
import { childEnv } from './childEnv';

/** How to start a program so that the kernel kills it when the process that started it dies. */
export type DieWithParent = (bin: string, args: readonly string[]) => { bin: string; args: string[] };

const asIs: DieWithParent = (bin, args) => ({ bin, args: [...args] });

/**
 * A child (ffmpeg) outlives a parent killed with SIGKILL: ffmpeg ignores SIGPIPE, so losing its pipes does not stop
 * it either. On Linux, util-linux's `setpriv --pdeathsig KILL` sets the parent-death signal and then execs the
 * program (same pid, so pausing and cancelling still reach it); the kernel then sends SIGKILL the moment its parent
 * dies. Where setpriv (or its --pdeathsig, util-linux 2.33+) is missing, programs start as they are, and what is
 * left is found by the parent's next start (killProcessesWritingUnder). Resolves once; never rejects.
 */
export async function parentDeathWrapper(env: NodeJS.ProcessEnv = process.env): Promise<DieWithParent> {
  if (process.platform !== 'linux') return asIs;
  const works = await new Promise<boolean>((resolve) => {
    const probe = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', env: childEnv(env) });
    probe.once('error', () => resolve(false));
    probe.once('exit', (code) => resolve(code === 0));
  });
  return works ? (bin, args) => ({ bin: 'setpriv', args: ['--pdeathsig', 'KILL', '--', bin, ...args] }) : asIs;
}
