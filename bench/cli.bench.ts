import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../electron/platform/db';
import { runProcess } from '../electron/platform/process';
import { seedLibrary } from './library.bench';
import { interleavedPairs, round, rounds } from './measure';
import { writeBenchResult } from './write-result';

const root = join(import.meta.dirname, '..');
const CHURCH = join(root, 'bin', 'church.js');

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
    // Warm the OS file cache (and the compile cache) once, so the first sample is not the one that reads node_modules from disk.
    await timed([CHURCH, 'list', '--json', '--data-dir', dir], env);
    await mcpRoundTrip(dir, env);
    const node = () => timed(['-e', '0'], env);
    // Each pair times the baseline and the command back to back (order alternating): load swings hit both.
    const n = rounds(15, 4);
    const list = await interleavedPairs(n, () => timed([CHURCH, 'list', '--json', '--data-dir', dir], env), node);
    const help = await interleavedPairs(n, () => timed([CHURCH, '--help'], env), node);
    const mcp = await interleavedPairs(rounds(9, 3), () => mcpRoundTrip(dir, env), node);
    const r2 = (x: number) => round(x, 2);
    const ms = (xs: number[]) => xs.map((x) => round(x));
    writeBenchResult('cli', {
      targets: [
        { name: `church list --json, 1,000-item library, cold ÷ node -e 0, median of ${n} interleaved pairs`, value: r2(list.ratio), unit: '×', target: '≤ 2', met: list.ratio <= 2 },
        { name: `church --help, cold ÷ node -e 0, median of ${n} interleaved pairs`, value: r2(help.ratio), unit: '×', target: '≤ 2', met: help.ratio <= 2 },
        { name: `church mcp: spawn → initialize → tools/list answered ÷ node -e 0, median of ${mcp.pairRatios.length} interleaved pairs`, value: r2(mcp.ratio), unit: '×', target: '≤ 3', met: mcp.ratio <= 3 },
      ],
      details: {
        medianMs: { list: round(list.medianA), nodeBesideList: round(list.medianB), help: round(help.medianA), nodeBesideHelp: round(help.medianB), mcp: round(mcp.medianA), nodeBesideMcp: round(mcp.medianB) },
        samplesMs: { list: ms(list.a), nodeBesideList: ms(list.b), help: ms(help.a), mcp: ms(mcp.a), nodeBesideMcp: ms(mcp.b) },
        pairRatios: { list: list.pairRatios.map(r2), help: help.pairRatios.map(r2), mcp: mcp.pairRatios.map(r2) },
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
