import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../electron/host/createHost';
import { DatabaseProblem } from '../../electron/domains/backup';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';
import { damageTablePage, seedStudio } from '../helpers/backup';

const open = (dataDir: string) => createHost({ dataDir, logError: () => undefined, startEngines: false, checkDatabase: true });

async function startCheckOf(dataDir: string) {
  const host = open(dataDir);
  try {
    return host.startCheck;
  } finally {
    await host.close();
  }
}

describe('the start check', () => {
  it('runs the full check only after a crash, when the file changed while closed, or when asked; a clean restart reads the roots', async () => {
    const dataDir = tempDir('church-startcheck-');
    const first = open(dataDir);
    expect(first.startCheck).toMatchObject({ kind: 'none' });
    seedStudio(first, 20);
    await first.close();

    expect(await startCheckOf(dataDir)).toMatchObject({ kind: 'roots', reason: expect.stringMatching(/closed cleanly/) });
    expect(await startCheckOf(dataDir)).toMatchObject({ kind: 'roots' });

    // A real crash: `church serve` killed without a chance to close.
    const serve = await startServe(dataDir);
    serve.child.kill('SIGKILL');
    await serve.stop();
    expect(await startCheckOf(dataDir)).toMatchObject({ kind: 'full', reason: 'the previous run did not close cleanly' });
    expect(await startCheckOf(dataDir)).toMatchObject({ kind: 'roots' });

    // Something else wrote the file while the studio was closed.
    const file = join(dataDir, 'studio.sqlite');
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    expect(await startCheckOf(dataDir)).toMatchObject({ kind: 'full', reason: 'the file changed while the studio was closed' });

    // church doctor (checkDatabase 'full') always runs it.
    const doctor = createHost({ dataDir, logError: () => undefined, startEngines: false, checkDatabase: 'full' });
    expect(doctor.startCheck).toMatchObject({ kind: 'full' });
    await doctor.close();
  }, 120_000);

  it('a damaged table root is found on a clean restart even though the full check is skipped', async () => {
    const dataDir = tempDir('church-startcheck-root-');
    const host = open(dataDir);
    seedStudio(host, 10);
    await host.close();
    // A bad sector: the videos table's root page overwritten, the file's size and time left as they were.
    damageTablePage(join(dataDir, 'studio.sqlite'), 'videos', { keepTime: true });
    let thrown: unknown = null;
    try {
      open(dataDir);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DatabaseProblem);
    expect((thrown as DatabaseProblem).kind).toBe('corrupt');
  }, 60_000);
});
