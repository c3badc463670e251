import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../electron/platform/db';
import { runProcess } from '../electron/platform/process';
import { seedLibrary } from './library.bench';
import { writeBenchResult } from './write-result';

const root = join(import.meta.dirname, '..');
const CHURCH = join(root, 'bin', 'church.js');
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of one cold process, spawn to exit. */
async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const r = await runProcess(process.execPath, args, { env, timeoutMs: 60_000 });
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return ms;
}

/** `church mcp`: spawn → initialize answered → tools/list answered, then stdin closes and the server exits. */
function mcpRoundTrip(dataDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CHURCH, 'mcp', '--data-dir', dataDir], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('church mcp did not answer within 60 s'));
    }, 60_000);
    let buf = '';
    let ms = 0;
    const send = (m: unknown) => child.stdin.write(JSON.stringify(m) + '\n');
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl)) as { id?: number };
        buf = buf.slice(nl + 1);
        if (msg.id === 1) {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        } else if (msg.id === 2) {
          ms = performance.now() - t0;
          child.stdin.end();
        }
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (ms) resolve(ms);
      else reject(new Error('church mcp exited before answering tools/list'));
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });
  });
}

export async function run(): Promise<void> {
  const built = await runProcess(process.execPath, [join(root, 'scripts', 'build-cli.js')], { timeoutMs: 120_000 });
  if (built.code !== 0) throw new Error(`building the CLI failed: ${built.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'church-cli-bench-'));
  try {
    const db = openDatabase(join(dir, 'studio.sqlite'));
    seedLibrary(db, 1000);
    db.close();
    // No running studio to attach to: each process opens the database itself, as on a machine without the window.
    const env = { ...process.env, CHURCH_NO_ATTACH: '1' };
    const loadAtStart = loadavg().map((l) => round(l));
    // Warm the OS file cache once, so the first sample is not the one that reads node_modules from disk.
    await timed([CHURCH, 'list', '--json', '--data-dir', dir], env);
    const node: number[] = [];
    const list: number[] = [];
    const help: number[] = [];
    const mcp: number[] = [];
    const mcpNode: number[] = [];
    // Side by side: each round times the baseline and the command back to back, so load swings hit both.
    for (let i = 0; i < 10; i++) {
      node.push(await timed(['-e', '0'], env));
      list.push(await timed([CHURCH, 'list', '--json', '--data-dir', dir], env));
      help.push(await timed([CHURCH, '--help'], env));
    }
    for (let i = 0; i < 5; i++) {
      mcpNode.push(await timed(['-e', '0'], env));
      mcp.push(await mcpRoundTrip(dir, env));
    }
    const base = median(node);
    const ratio = (xs: number[], b = base) => round(median(xs) / b, 2);
    writeBenchResult('cli', {
      targets: [
        { name: 'church list --json, 1,000-item library, cold, median of 10 / node -e 0', value: ratio(list), unit: '×', target: '≤ 3', met: ratio(list) <= 3 },
        { name: 'church --help, cold, median of 10 / node -e 0', value: ratio(help), unit: '×', target: '≤ 2', met: ratio(help) <= 2 },
        { name: 'church mcp: spawn → initialize → tools/list answered, median of 5 / node -e 0', value: ratio(mcp, median(mcpNode)), unit: '×', target: '≤ 5', met: ratio(mcp, median(mcpNode)) <= 5 },
      ],
      details: {
        loadAverageAtStart: loadAtStart,
        medianMs: { nodeE0: round(base), list: round(median(list)), help: round(median(help)), mcp: round(median(mcp)), nodeE0BesideMcp: round(median(mcpNode)) },
        samplesMs: { nodeE0: node.map((x) => round(x)), list: list.map((x) => round(x)), help: help.map((x) => round(x)), mcp: mcp.map((x) => round(x)) },
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
