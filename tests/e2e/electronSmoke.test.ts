import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright';
import { tempDir } from '../helpers/tempDir';

const root = join(import.meta.dirname, '..', '..');

/** An Electron runtime, if this machine has one: ELECTRON_OVERRIDE_DIST_PATH, or one the electron package fetched. */
function electronBinary(): string | null {
  const exe = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  const dirs = [process.env.ELECTRON_OVERRIDE_DIST_PATH, join(root, 'node_modules', 'electron', 'dist')].filter((d): d is string => !!d);
  for (const d of dirs) if (existsSync(join(d, exe))) return join(d, exe);
  return null;
}

const binary = electronBinary();
if (!binary) {
  console.log(
    'SKIPPED: Electron smoke test — no Electron binary on this machine (it cannot be downloaded here). ' +
      'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron runtime to run it.',
  );
}

describe('Electron app', () => {
  it.skipIf(!binary)('opens the window and round-trips a contract call through the preload bridge', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(root, 'out', 'main', 'index.js'), '--no-sandbox'],
      env: { ...process.env, CHURCH_DATA_DIR: tempDir('church-electron-') },
    });
    try {
      const page = await app.firstWindow();
      expect(await page.title()).toBe('BambiSleep Church Studio');
      const isolated = await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require === 'undefined');
      expect(isolated).toBe(true);
      const reply = await page.evaluate(() => (globalThis as unknown as { church: { invoke(n: string, i: unknown): Promise<unknown> } }).church.invoke('system.ping', { echo: 'electron' }));
      expect(reply).toMatchObject({ ok: true, value: { echo: 'electron' } });
      const bad = await page.evaluate(() => (globalThis as unknown as { church: { invoke(n: string, i: unknown): Promise<unknown> } }).church.invoke('nope', {}));
      expect(bad).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    } finally {
      await app.close();
    }
  });
});
