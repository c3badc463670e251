import type { KillStep, LabHostReport, StepReport } from '../../../shared/dto/killswitch';

/** The verb of each step kind, so every rehearsed step reads the same way: "Would stop: …", "Would lock: …". */
const VERB: Record<KillStep['kind'], string> = {
  'stop-jobs': 'stop',
  'stop-lab': 'stop',
  'docker-stop': 'stop',
  'network-down': 'bring down',
  'lock-volumes': 'lock',
  alert: 'send',
  'power-off': 'power off',
  command: 'run',
};

/** What the rehearsal can find out without running anything (in-process reads only; no tool is started). */
export interface RehearsalSources {
  /** The studio's jobs that stopping them would stop (stopTargets); absent where there are none to name. */
  jobTargets?(): string[];
}

function volumeName(v: Extract<KillStep, { kind: 'lock-volumes' }>['volumes'][number]): string {
  switch (v.method) {
    case 'cryptsetup':
      return `LUKS mapping ${v.name}`;
    case 'udisksctl':
      return `device ${v.device}`;
    case 'bitlocker':
      return `BitLocker volume ${v.mountPoint}`;
    case 'diskutil':
      return `APFS volume ${v.volume}`;
  }
}

/** Why a step would act on nothing, in the same words the live run would use. */
function nothingBecause(step: KillStep, hosts: LabHostReport[] | undefined): string {
  switch (step.kind) {
    case 'stop-jobs':
      return 'no job is running or queued';
    case 'stop-lab':
      return hosts === undefined ? 'no lab is configured' : 'no agent is online';
    case 'network-down':
      return 'no interfaces are named in the plan';
    case 'lock-volumes':
      return 'no volumes are named in the plan';
    default:
      return 'nothing is configured';
  }
}

/** The concrete things a step would act on, as far as they can be known without running anything. */
export function rehearsalTargets(step: KillStep, report: StepReport, sources: RehearsalSources): string[] {
  switch (step.kind) {
    case 'stop-jobs':
      return sources.jobTargets?.() ?? [];
    case 'stop-lab':
      return (report.hosts ?? []).map((h) => `lab host ${h.host}${h.status === 'no-answer' ? ' (did not answer)' : ''}`);
    case 'docker-stop':
      return ['every running Docker container (listed by docker ps -q at the time)'];
    case 'network-down':
      return step.interfaces.map((i) => `interface ${i}`);
    case 'lock-volumes':
      return step.volumes.map(volumeName);
    case 'alert':
      return [`"${step.message}" (desktop notification, and e-mail when configured)`];
    case 'power-off':
      return ['this machine'];
    case 'command':
      return report.commands.map((c) => c.argv.join(' '));
  }
}

/** One wording for every rehearsed step: "Would stop: running job #4 (…)" or "Would stop: nothing (no job is running or queued)". */
export function rehearsalNote(step: KillStep, targets: readonly string[], hosts: LabHostReport[] | undefined): string {
  const verb = VERB[step.kind];
  const said = `Would ${verb}`;
  return targets.length ? `${said}: ${targets.join('; ')}` : `${said}: nothing (${nothingBecause(step, hosts)})`;
}
