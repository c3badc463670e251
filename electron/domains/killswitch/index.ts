export { KillSwitch, parsePlan, type KillSwitchDeps, type TriggerOptions } from './KillSwitch';
export { defaultPlan } from './defaultPlan';
export { planStep, type Platform } from './planCommands';
export { commandsNotOnDisk } from './commandPolicy';
