import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint rule is plain JavaScript beside eslint.config.js, without types of its own
import { checkImport } from '../../eslint/layers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const check = checkImport as (from: string, to: string) => string | null;

/** Lints one line of source as if it were the file at `rel`, with the project's own ESLint configuration. */
async function lintAs(rel: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, rel) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/imports-go-down').map((m) => m.message);
}

describe('layers: npm run lint refuses an import that goes the wrong way', () => {
  it('a platform module importing a domain fails lint, naming both files and the rule', async () => {
    const messages = await lintAs('electron/platform/db/wrongWay.ts', "import { LibraryStore } from '../../domains/library';\nexport const x = LibraryStore;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('electron/platform/db/wrongWay.ts imports electron/domains/library/index.ts');
    expect(messages[0]).toContain('the platform');
  });

  it('a domain reaching past another domain’s index.ts fails; through the index it passes', async () => {
    const past = await lintAs('electron/domains/lab/wrongWay.ts', "export { JobStore } from '../jobs/JobStore';\n");
    expect(past[0]).toContain("reaches into domain 'jobs'");
    expect(await lintAs('electron/domains/lab/rightWay.ts', "export type { JobStore } from '../jobs';\n")).toEqual([]);
  });

  it('a dynamic import is checked like a static one', async () => {
    const messages = await lintAs('electron/mcp/wrongWay.ts', "export const load = () => import('../cli/main');\n");
    expect(messages[0]).toContain('MCP speaks to the studio through the contract client');
  });

  it('the renderer: a feature importing another feature or app/ fails', async () => {
    const other = await lintAs('renderer/src/features/jobs/WrongWay.tsx', "export { LibraryScreen } from '../library/LibraryScreen';\n");
    expect(other[0]).toContain("imports feature 'library'");
    const app = await lintAs('renderer/src/features/jobs/WrongWay2.tsx', "export { App } from '../../app/App';\n");
    expect(app[0]).toContain('never another feature or app/');
  });

  it('the table: downward imports pass, upward ones are refused at every floor', () => {
    const down: Array<[string, string]> = [
      ['electron/main/shell/ipc.ts', 'electron/host/createHost.ts'],
      ['electron/cli/main.ts', 'electron/host/createHost.ts'],
      ['electron/host/createHost.ts', 'electron/domains/jobs/index.ts'],
      ['electron/domains/lab/x.ts', 'electron/domains/jobs/index.ts'],
      ['electron/domains/jobs/x.ts', 'electron/platform/process/index.ts'],
      ['electron/platform/db/x.ts', 'shared/errors.ts'],
      ['renderer/src/app/App.tsx', 'renderer/src/features/jobs/JobsScreen.tsx'],
      ['renderer/src/features/jobs/JobsScreen.tsx', 'renderer/src/lib/api.ts'],
    ];
    for (const [from, to] of down) expect(check(from, to), `${from} -> ${to}`).toBeNull();
    const up: Array<[string, string]> = [
      ['shared/errors.ts', 'electron/platform/db/index.ts'],
      ['electron/platform/db/x.ts', 'electron/host/createHost.ts'],
      ['electron/domains/jobs/x.ts', 'electron/host/dispatch.ts'],
      ['electron/host/createHost.ts', 'electron/cli/main.ts'],
      ['electron/host/createHost.ts', 'electron/domains/jobs/JobEngine.ts'],
      ['electron/main/shell/x.ts', 'electron/domains/killswitch/index.ts'],
      ['electron/cli/x.ts', 'electron/domains/backup/index.ts'],
      ['electron/cli/x.ts', 'electron/platform/db/index.ts'],
      ['electron/mcp/x.ts', 'electron/cli/command.ts'],
      ['renderer/src/lib/api.ts', 'renderer/src/app/App.tsx'],
      ['renderer/src/ui/Button.tsx', 'renderer/src/features/jobs/store.ts'],
    ];
    for (const [from, to] of up) expect(check(from, to), `${from} -> ${to}`).not.toBeNull();
  });
});
