import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const NODE_EXPORTER = process.env.NODE_EXPORTER_PATH ?? '/usr/bin/prometheus-node-exporter';

export function nodeExporterAvailable(): boolean {
  return existsSync(NODE_EXPORTER);
}

/** A recorded node_exporter 1.x page of a host with sensors (coretemp, nvme, a thermal zone, a fan). */
export function recordedPage(): string {
  return readFileSync(join(import.meta.dirname, 'recorded', 'node-exporter-gpu-box.prom'), 'utf8');
}

export interface RunningExporter {
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's prometheus-node-exporter on a random 127.0.0.1 port (it logs the address it took), with the collectors
 * that read this machine's /proc and /sys; the textfile collector is off so it reads no system folder's leftovers.
 */
export async function startNodeExporter(): Promise<RunningExporter> {
  const child: ChildProcess = spawn(NODE_EXPORTER, ['--web.listen-address=127.0.0.1:0', '--no-collector.textfile'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`node_exporter did not start within 30 s: ${log}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}/metrics`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node_exporter exited with ${code}: ${log}`));
    });
  });
  child.stderr!.resume();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A real HTTP server on 127.0.0.1 answering every request with `answer`; returns its base URL. */
export async function serveOn(answer: (res: ServerResponse, path: string) => void): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => answer(res, req.url ?? '/'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
