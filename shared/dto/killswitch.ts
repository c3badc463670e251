/** Where a run was started from: recorded in the report and the audit log. */
export type KillTrigger = 'ui' | 'web' | 'tray' | 'shortcut' | 'cli' | 'monitor' | 'mcp';

export type KillStepKind = 'stop-jobs' | 'stop-lab' | 'docker-stop' | 'network-down' | 'lock-volumes' | 'alert' | 'power-off' | 'command';

export type VolumeRef =
  | { method: 'cryptsetup'; name: string }
  | { method: 'udisksctl'; device: string }
  | { method: 'bitlocker'; mountPoint: string }
  | { method: 'diskutil'; volume: string };

interface StepBase {
  /** Shown in the plan and the report; defaults to a description of the step. */
  label?: string;
  enabled: boolean;
  /** The step (all its commands together) is killed when it runs longer than this. */
  timeoutMs: number;
  /** When false, a failure of this step skips the steps after it (a gate); when true the plan goes on. */
  continueOnFailure: boolean;
}

export type KillStep =
  | (StepBase & { kind: 'stop-jobs' })
  /** Broadcast the trigger to every lab agent: each runs its own plan file and reports back. */
  | (StepBase & { kind: 'stop-lab' })
  | (StepBase & { kind: 'docker-stop' })
  | (StepBase & { kind: 'network-down'; interfaces: string[]; method: 'ip' | 'nmcli' | 'auto' })
  | (StepBase & { kind: 'lock-volumes'; volumes: VolumeRef[] })
  | (StepBase & { kind: 'alert'; message: string })
  | (StepBase & { kind: 'power-off' })
  | (StepBase & { kind: 'command'; argv: string[] });

export interface KillPlan {
  version: 1;
  steps: KillStep[];
}

export interface PlannedCommand {
  /** The exact argument array (argv[0] is the program); never a shell string. */
  argv: string[];
  /** Why it runs, e.g. "stop the containers listed by docker ps -q". */
  purpose: string;
}

export interface PlannedStep {
  index: number;
  kind: KillStepKind;
  label: string;
  enabled: boolean;
  timeoutMs: number;
  continueOnFailure: boolean;
  /** Commands it would run, in order; in-process actions (stopping jobs, alerts) are described in `action`. */
  commands: PlannedCommand[];
  action?: string;
  /**
   * A command step the owner has not accepted (it arrived with a restore, an import, a settings write or an edit
   * of the plan file): shown, never run, until accepted (`killswitch.acceptPlan`).
   */
  pendingAcceptance?: true;
}

export type StepStatus = 'pending' | 'running' | 'ok' | 'failed' | 'timeout' | 'skipped' | 'dry-run';

export interface CommandReport {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  outputTail: string;
  error?: string;
}

export interface StepReport extends PlannedStep {
  status: StepStatus;
  startedAt: string | null;
  durationMs: number;
  ran: CommandReport[];
  note?: string;
  /**
   * A rehearsal (dry run): what exactly the step would act on, found at the time (running job #4 and its ffmpeg
   * PID, lab host gpu-1, interface lab0); empty when it would act on nothing.
   */
  targets?: string[];
  /** A "stop the lab" step: every agent's own run (or, in a dry run, its planned steps), under its host name. */
  hosts?: LabHostReport[];
}

export interface LabHostReport {
  host: string;
  /** 'no-answer': the agent sent no report within the step's timeout. */
  status: 'completed' | 'completed-with-failures' | 'dry-run' | 'no-answer';
  steps: StepReport[];
  warning?: string;
}

export interface KillRun {
  id: number;
  trigger: KillTrigger;
  dryRun: boolean;
  reason: string | null;
  platform: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'completed' | 'completed-with-failures';
  steps: StepReport[];
  acknowledged: boolean;
  /** Something the owner must know about the run itself (e.g. the saved plan was broken and the default ran). */
  warning?: string;
}

export interface KillPlanInfo {
  plan: KillPlan;
  source: 'default' | 'settings';
  platform: string;
  steps: PlannedStep[];
  /** How many command steps wait for the owner's acceptance (their steps carry pendingAcceptance). */
  pendingCommands: number;
  /** Names exactly the commands shown: `killswitch.acceptPlan` accepts the plan only if it is still this one. */
  commandsFingerprint: string;
}
