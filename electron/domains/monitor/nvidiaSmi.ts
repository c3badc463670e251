import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { GpuInfo } from '../../../shared/dto/monitor';
import { runProcess } from '../../platform/process';

/** The fields asked of nvidia-smi, in order; one call per sample covers every GPU. */
export const NVIDIA_QUERY_FIELDS = ['index', 'name', 'uuid', 'temperature.gpu', 'utilization.gpu', 'memory.used', 'memory.total', 'power.draw', 'fan.speed'] as const;

export function nvidiaSmiArgs(): string[] {
  return [`--query-gpu=${NVIDIA_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
}

/** "[N/A]", "[Not Supported]", "" and other non-numbers are unavailable, never 0. */
function num(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Parses `nvidia-smi --format=csv,noheader,nounits` output (MiB for memory, W for power, % for the rest). */
export function parseNvidiaSmi(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split(',').map((s) => s.trim());
    const index = num(f[0]);
    if (index === null || f.length < NVIDIA_QUERY_FIELDS.length) continue;
    const mib = (v: number | null) => (v === null ? null : v * 1024 * 1024);
    gpus.push({
      index,
      name: f[1] ?? `GPU ${index}`,
      uuid: f[2] ?? '',
      tempC: num(f[3]),
      utilPct: num(f[4]),
      memUsedBytes: mib(num(f[5])),
      memTotalBytes: mib(num(f[6])),
      powerW: num(f[7]),
      fanPct: num(f[8]),
    });
  }
  return gpus;
}

/** Finds nvidia-smi: an explicit path (CHURCH_NVIDIA_SMI), else the PATH. */
export function findNvidiaSmi(env: NodeJS.ProcessEnv): string | null {
  const explicit = env.CHURCH_NVIDIA_SMI;
  if (explicit) return explicit;
  const names = process.platform === 'win32' ? ['nvidia-smi.exe'] : ['nvidia-smi'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const p = join(dir, n);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export type GpuQueryResult = { gpus: GpuInfo[]; problem: string | null };

/** Runs the one query; a missing, hung or failing nvidia-smi gives no GPUs and the reason. */
export async function queryNvidiaSmi(bin: string, timeoutMs = 3000): Promise<GpuQueryResult> {
  const r = await runProcess(bin, nvidiaSmiArgs(), { timeoutMs, killGraceMs: 500, maxOutputBytes: 64 * 1024 });
  if (r.spawnError) return { gpus: [], problem: `nvidia-smi could not start (${r.spawnError})` };
  if (r.timedOut) return { gpus: [], problem: `nvidia-smi did not answer within ${timeoutMs} ms` };
  if (r.code !== 0) return { gpus: [], problem: `nvidia-smi failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}` };
  const gpus = parseNvidiaSmi(r.stdout);
  return gpus.length ? { gpus, problem: null } : { gpus: [], problem: 'nvidia-smi listed no GPUs' };
}
