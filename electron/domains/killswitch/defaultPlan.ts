import type { KillPlan } from '../../../shared/dto/killswitch';

const step = { enabled: true, continueOnFailure: true };

/**
 * The platform default, in the order the owner asked for: our own jobs first (quick), containers, the lab's
 * interfaces (mail still leaves through the uplink, which is not listed), volumes, the alert, power last.
 * Interfaces and volumes are the owner's to name, so those steps start empty and report that they did nothing.
 */
export function defaultPlan(opts: { lab?: boolean } = {}): KillPlan {
  return {
    version: 1,
    steps: [
      { kind: 'stop-jobs', ...step, timeoutMs: 5_000 },
      // With a lab, the agents stop before this host takes its own network down (they are reached through it).
      ...(opts.lab ? [{ kind: 'stop-lab' as const, ...step, timeoutMs: 10_000 }] : []),
      { kind: 'docker-stop', ...step, timeoutMs: 20_000 },
      { kind: 'network-down', ...step, timeoutMs: 5_000, interfaces: [], method: 'auto' },
      { kind: 'lock-volumes', ...step, timeoutMs: 15_000, volumes: [] },
      { kind: 'alert', ...step, timeoutMs: 10_000, message: 'The emergency kill switch was triggered.' },
      { kind: 'power-off', ...step, timeoutMs: 10_000 },
    ],
  };
}
