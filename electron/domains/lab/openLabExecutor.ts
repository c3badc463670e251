import type { LabRunner, LabRunnerOptions } from './LabRunner';

/**
 * Opens the lab's job executor (the LabRunner) for the host to register with the job engine. bullmq and ioredis
 * load here, on the first call, so a studio without a lab never loads them.
 */
export async function openLabExecutor(opts: LabRunnerOptions): Promise<LabRunner> {
  const { LabRunner } = await import('./LabRunner');
  return LabRunner.open(opts);
}
