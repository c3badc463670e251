export { childEnv, isSecretVar, STUDIO_SECRET_VARS } from './childEnv';
export { runProcess, type RunOptions, type RunResult } from './runProcess';
export { processEnded, processesWritingUnder, signalProcessesWritingUnder, killProcessesWritingUnder } from './orphans';
