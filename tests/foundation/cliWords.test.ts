import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { explainNativeModuleMismatch } from '../../electron/cli/nativeModule';
import { explainParseArgsError } from '../../electron/cli/usageWords';
import { CHURCH_BIN, church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

const env = { CHURCH_NO_ATTACH: '1' };

describe('church: a closed output pipe', () => {
  it('`church jobs --json | head` whose reader has gone ends quietly with exit 0, no EPIPE stack', async () => {
    const dataDir = tempDir('church-epipe-');
    const child = spawn(process.execPath, [CHURCH_BIN, 'jobs', '--json', '--data-dir', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader closes its end before the command has written anything (it is still starting), as `head` does
    // once it has its lines: every write church makes then meets a pipe with no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
    expect(stderr).toBe('');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});

describe('church: usage mistakes in a person\'s words (exit 2)', () => {
  const dataDir = tempDir('church-words-');

  it('an unknown option names the option and points to the command\'s --help, without Node\'s parseArgs text', async () => {
    const r = await church(['list', '--bogus', '--data-dir', dataDir], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('church: the list command has no option --bogus; "church list --help" lists its options\n');
    const near = await church(['list', '--tga', 'x', '--data-dir', dataDir], { env });
    expect(near.stderr).toContain('(did you mean --tag?)');
  });

  it('an option without its value, or a flag given one, says which and how', () => {
    const options = { port: { type: 'string' }, json: { type: 'boolean' } } as const;
    const parse = (args: string[]) => explainParseArgsError(parseError(args, options), 'serve', options);
    expect(parse(['--port'])).toBe('--port needs a value (--port VALUE); "church serve --help" lists its options');
    expect(parse(['--port', '--json'])).toBe('--port needs a value (--port VALUE); "church serve --help" lists its options');
    expect(parse(['--json=yes'])).toBe('--json takes no value (write --json alone); "church serve --help" lists its options');
  });

  it('`church show` without an id says that it needs a video id, not `got ""`', async () => {
    const r = await church(['show', '--data-dir', dataDir], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('got ""');
    expect(r.stderr).toBe('church: the show command needs a video id (the number in the ID column of "church list"); usage: church show ID [--json]\n');
    const word = await church(['show', 'abc', '--data-dir', dataDir], { env });
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/^church: "abc" is not a video id/);
  });

  it('the kill switch\'s dry run opens with a readable line', async () => {
    const r = await church(['kill', '--dry-run', '--data-dir', dataDir], { env });
    expect(r.code, r.stderr).toBe(0);
    const first = r.stdout.split('\n')[0]!;
    expect(first).toMatch(/^Dry run #\d+ of the kill-switch plan \(\w+\): nothing was executed; these are the steps it would run$/);
  });
});

describe('church under a Node the native module was not built for', () => {
  it('explains a NODE_MODULE_VERSION mismatch: which Node it was built for, and the command that fixes it', () => {
    const addon = join(import.meta.dirname, '..', '..', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const nodeMessage = `The module '${addon}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 127. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`;
    expect(explainNativeModuleMismatch(new Error(nodeMessage), 'v20.20.2', 115)).toBe(
      'better-sqlite3 in node_modules was built for Node 22 (module version 127), not for this Node v20.20.2 (module version 115): run church with Node 22, or rebuild it for this Node with "npm rebuild better-sqlite3"; the studio asks for Node 22.12 or newer',
    );
    const electron = nodeMessage.replace('NODE_MODULE_VERSION 127', 'NODE_MODULE_VERSION 150');
    expect(explainNativeModuleMismatch(new Error(electron), 'v22.21.1', 127)).toMatch(/is Electron's build \(module version 150.*"npm run rebuild:node"$/);
    expect(explainNativeModuleMismatch(new Error('ENOENT: no such file'))).toBeNull();
  });

  it('reads the build from the addon itself when Node only says "Module did not self-register"', () => {
    const addon = join(import.meta.dirname, '..', '..', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const built = Number(process.versions.modules);
    const message = explainNativeModuleMismatch(new Error(`Module did not self-register: '${addon}'.`), 'v20.20.2', 115);
    // node_modules is built for the Node that runs the tests (22: module version 127).
    expect(message).toContain(`(module version ${built}), not for this Node v20.20.2 (module version 115)`);
  });

  // The machine's own Node (Debian's, often 20) against node_modules built for the tests' Node 22.
  const otherNode = '/usr/bin/node';
  const otherAbi = existsSync(otherNode) ? spawnSync(otherNode, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim() : '';
  const differs = otherAbi !== '' && otherAbi !== process.versions.modules;
  if (!differs) console.log(`skipped: ${otherNode} ${otherAbi ? 'is built on the same module version as this Node' : 'is not there'}, so it cannot show the mismatch`);
  it.skipIf(!differs)('`church doctor` under another Node says which Node node_modules was built for and how to fix it, in one line', async () => {
    const dataDir = tempDir('church-abi-');
    const r = spawnSync(otherNode, [CHURCH_BIN, 'doctor', '--data-dir', dataDir], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`better-sqlite3 in node_modules was built for Node ${process.versions.node.split('.')[0]} (module version ${process.versions.modules})`);
    expect(lines[0]).toContain('"npm rebuild better-sqlite3"');
  });
});

function parseError(args: string[], options: Record<string, { type: 'string' | 'boolean' }>): unknown {
  try {
    parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    return e;
  }
  throw new Error(`parseArgs accepted ${args.join(' ')}`);
}
