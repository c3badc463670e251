import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KillRun } from '../../shared/dto/killswitch';
import { startFfmpeg } from '../../electron/domains/jobs';
import { childEnv, runProcess } from '../../electron/platform/process';
import { church } from '../helpers/cli';
import { tempDir } from '../helpers/tempDir';

// A child that prints which of its variables carry the marker, and whether it still has a PATH.
const MARK = 'LEAKME-7c1f';
const SECRETS = { STRIPE_API_KEY: `rk_test_${MARK}`, STRIPE_WEBHOOK_SECRET: `whsec_${MARK}`, CHURCH_SMTP_PASSWORD: MARK, GITHUB_TOKEN: MARK };
const PRINT_ENV = `const leaked = Object.entries(process.env).filter(([, v]) => String(v).includes('${MARK}')).map(([k]) => k);
console.log(JSON.stringify({ leaked, path: Boolean(process.env.PATH), home: Boolean(process.env.HOME) }));`;
const studioEnv = () => ({ ...process.env, ...SECRETS });

describe('children never receive the studio\'s secrets (item 2)', () => {
  it('runProcess (ffprobe, docker, nvidia-smi, kill-switch steps) drops them and keeps the rest', async () => {
    const r = await runProcess(process.execPath, ['-e', PRINT_ENV], { env: studioEnv(), timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ leaked: [], path: true, home: true });
  });

  it('a secret one child needs is handed to that child alone', async () => {
    const r = await runProcess(process.execPath, ['-e', PRINT_ENV], { env: studioEnv(), secretEnv: { RESTIC_PASSWORD: MARK }, timeoutMs: 30_000 });
    expect(JSON.parse(r.stdout)).toMatchObject({ leaked: ['RESTIC_PASSWORD'] });
  });

  it('the ffmpeg runner of the job engine drops them', async () => {
    const h = startFfmpeg(process.execPath, ['-e', PRINT_ENV.replace('console.log', 'console.error')], { env: studioEnv(), onProgress: () => undefined, stallTimeoutMs: 60_000 });
    const exit = await h.done;
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.logTail.trim().split('\n').pop()!)).toEqual({ leaked: [], path: true, home: true });
  });

  it('a custom kill-switch step run by `church kill` does not see the key church was started with', async () => {
    const dir = tempDir('church-childenv-');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ version: 1, steps: [{ kind: 'command', argv: [process.execPath, '-e', PRINT_ENV], timeoutMs: 30_000 }] }));
    const r = await church(['kill', '--yes', '--plan', plan, '--json', '--data-dir', join(dir, 'data')], { env: { ...SECRETS, CHURCH_NO_ATTACH: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as KillRun;
    const out = run.steps[0]!.ran[0]!.outputTail;
    expect(JSON.parse(out)).toEqual({ leaked: [], path: true, home: true });
  });

  it('childEnv keeps ordinary variables and drops credential-looking ones', () => {
    const env = childEnv({ PATH: '/bin', LANG: 'C', CHURCH_DATA_DIR: '/d', STRIPE_API_BASE: 'x', AWS_SECRET_ACCESS_KEY: 'a', NPM_TOKEN: 'b', MY_PASSWORD: 'c', SSH_AUTH_SOCK: '/s' });
    expect(Object.keys(env).sort()).toEqual(['CHURCH_DATA_DIR', 'LANG', 'PATH', 'SSH_AUTH_SOCK']);
  });
});
