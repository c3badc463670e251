import { readdirSync, readFileSync } from 'node:fs';

/** The command line of a process (Linux /proc), or null once it is gone or cannot be read. */
function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** Gone, or a zombie (it runs nothing more; only its reaping by its new parent is pending). */
export function processEnded(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/**
 * The processes of this user whose program matches `program` and whose command line names a file under `dir`:
 * what a killed process (an agent, an engine) left running on a folder that is its own. A recycled pid never
 * matches, since its command line names something else. Linux /proc only; elsewhere none.
 */
export function processesWritingUnder(dir: string, program: RegExp = /ffmpeg/): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return pids
    .map(Number)
    .filter((pid) => pid !== process.pid)
    .filter((pid) => {
      const args = commandLine(pid);
      return args !== null && program.test(args[0] ?? '') && args.some((a) => a.includes(prefix)) && !processEnded(pid);
    });
}

/** SIGKILLs what `processesWritingUnder` finds, without waiting for them to end. Returns the pids. Never throws. */
export function signalProcessesWritingUnder(dir: string, program: RegExp = /ffmpeg/): number[] {
  const pids = processesWritingUnder(dir, program);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return pids;
}

/**
 * SIGKILLs what `processesWritingUnder` finds and waits (up to `waitMs`) until each has ended, so that the folder
 * can be cleaned without one of them writing into it afterwards. Returns the pids it signalled. Never throws.
 */
export async function killProcessesWritingUnder(dir: string, opts: { program?: RegExp; waitMs?: number } = {}): Promise<number[]> {
  const pids = signalProcessesWritingUnder(dir, opts.program);
  const until = Date.now() + (opts.waitMs ?? 5000);
  // SIGKILL cannot be caught: each ends as soon as the kernel schedules it; this only covers that moment.
  while (pids.some((pid) => !processEnded(pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return pids;
}
