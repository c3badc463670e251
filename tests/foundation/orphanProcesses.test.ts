import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBinary } from '../../electron/platform/media';
import { killProcessesWritingUnder, processEnded, processesWritingUnder } from '../../electron/platform/process/orphans';
import { parentDeathWrapper } from '../../electron/platform/process/parentDeath';
import { pidAlive } from '../../electron/platform/process/pidAlive';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/waitFor';

const ffmpeg = resolveBinary('ffmpeg').path!;
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** A real ffmpeg encoding a long generated clip in real time into dir/job/out.mkv, on its own as an orphan would be. */
async function encodingInto(dir: string): Promise<ChildProcess> {
  mkdirSync(join(dir, 'job'), { recursive: true });
  const child = spawn(ffmpeg, ['-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=600', '-c:v', 'mpeg4', '-y', join(dir, 'job', 'out.mkv')], { stdio: 'ignore', detached: true });
  started.push(child.pid!);
  await waitFor('ffmpeg to start', () => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes('out.mkv'));
  return child;
}

describe('processes left running on a folder (Linux /proc)', () => {
  it('finds an ffmpeg whose command line names a file under the folder, and kills it', async () => {
    const dir = tempDir('church-orphans-');
    const other = tempDir('church-orphans-other-');
    const mine = await encodingInto(dir);
    const notMine = await encodingInto(other);
    expect(processesWritingUnder(dir)).toEqual([mine.pid]);
    expect(await killProcessesWritingUnder(dir)).toEqual([mine.pid]);
    expect(processEnded(mine.pid!)).toBe(true);
    // Another folder's encode (a prefix-sharing name) is not touched.
    expect(processEnded(notMine.pid!)).toBe(false);
    expect(processesWritingUnder(dir)).toEqual([]);
  });
});

describe('a child started to die with its parent', () => {
  it('is killed by the kernel when its parent is killed with SIGKILL', async (t) => {
    const wrap = await parentDeathWrapper();
    if (wrap('x', []).bin === 'x') {
      console.log('skipped: no setpriv with --pdeathsig here (util-linux 2.33+), so children start as they are');
      t.skip();
    }
    // A parent process that starts a long ffmpeg the way an agent does, prints its pid, and waits.
    const dir = tempDir('church-pdeath-');
    const script = `
      import { spawn } from 'node:child_process';
      import { parentDeathWrapper } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'electron', 'platform', 'process', 'parentDeath.ts'))};
      const { bin, args } = (await parentDeathWrapper())(${JSON.stringify(ffmpeg)}, ['-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=600', '-c:v', 'mpeg4', '-y', ${JSON.stringify(join(dir, 'out.mkv'))}]);
      const child = spawn(bin, args, { stdio: 'ignore' });
      console.log(child.pid);
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(parent.pid!);
    const childPid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    started.push(childPid);
    // The wrapper execs the program: the pid the parent holds is ffmpeg's own (pause and cancel reach it).
    await waitFor('ffmpeg to run under its own name', () => readFileSync(`/proc/${childPid}/cmdline`, 'utf8').split('\0')[0] === ffmpeg);
    const gone = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await gone;
    // The kernel sends the signal as the parent exits; this only waits for the child to be scheduled and die.
    await waitFor('the child to die with its parent', () => processEnded(childPid), 10_000);
  });
});
