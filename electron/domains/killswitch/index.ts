export { KillSwitch, type KillSwitchDeps, type TriggerOptions } from './KillSwitch';
export { defaultPlan } from './defaultPlan';
export { planStep, type Platform } from './planCommands';
export { commandsNotOnDisk } from './commandPolicy';
// The plan as `church agent` reads it too: the same file name, parser and default as the studio's kill switch.
export { loadPlan, parsePlan, planFilePath, hostPlatform, PLAN_FILE } from './planFile';
export { executePlan, type ExecuteDeps, type StopLabStep } from './executePlan';
// What may run: the owner's accepted commands, kept outside every snapshot (restore records the baseline first).
export { recordAcceptedBaseline, acceptedCommands, pendingCommandSteps, ACCEPTED_FILE } from './planTrust';
