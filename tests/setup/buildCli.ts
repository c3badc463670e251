// The CLI tests run `church` the way users do: the compiled JavaScript in out/cli. Building it takes about a
// second, so every test run starts from the sources as they are now.
import { join } from 'node:path';
import { runProcess } from '../../electron/platform/process';

export default async function setup(): Promise<void> {
  const r = await runProcess(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build-cli.js')], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
}
