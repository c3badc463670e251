import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { freePort } from './freePort';

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export function redisAvailable(): boolean {
  return existsSync(REDIS_SERVER);
}

const missing = (what: string) => `SKIPPED: ${what} — no ${REDIS_SERVER} on this machine (apt-get install redis-server; CI installs it)`;

/** describe() for tests that need a real redis-server; without one it skips the block and says plainly why. */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisAvailable()) {
    describe(name, body);
    return;
  }
  console.log(missing(name));
  describe.skip(name, body);
}

/** it() for a single test that needs a real redis-server; without one it skips the test and says plainly why. */
export function itWithRedis(name: string, body: () => Promise<void>, timeoutMs?: number): void {
  if (redisAvailable()) {
    it(name, body, timeoutMs);
    return;
  }
  console.log(missing(name));
  it.skip(name, body, timeoutMs);
}

/**
 * Debian's redis-server on a random 127.0.0.1 port with its files in a temp dir and no persistence, so a restart
 * starts empty (the harshest case for "a Redis restart loses no job").
 */
export interface RedisTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export class TestRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number, private readonly dir: string, private readonly tls: RedisTls | null) {}

  get url(): string {
    return `${this.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  /** tls: TLS only (no plain port), clients not asked for a certificate. */
  static async start(dir: string, tls: RedisTls | null = null): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), dir, tls);
    await r.launch();
    return r;
  }

  private async launch(): Promise<void> {
    const ports = this.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', this.tls.certFile, '--tls-key-file', this.tls.keyFile, '--tls-ca-cert-file', this.tls.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const child = spawn(REDIS_SERVER, [...ports, '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 30 s: ${log}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${log}`));
      });
    });
  }

  async stop(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }

  /** Killed (no save) and started again on the same port: empty, as after a crash without persistence. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}
