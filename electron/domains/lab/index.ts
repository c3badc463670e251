// Loaded only when a lab is configured (bullmq and ioredis come with it); config.ts alone is cheap to import.
export { LabRunner, type LabRunnerOptions } from './LabRunner';
// The lab's job executor, opened for the host to register with the job engine (bullmq loads on the call).
export { openLabExecutor } from './openLabExecutor';
export type { LabService } from './labService';
export { startAgent, resolveSource, fillArgs, type AgentOptions, type PathMapping, type RunningAgent } from './agent/runAgent';
export { readAgents, type AgentState, type AgentView } from './labStatus';
export { connectRedis } from './redis';
export { labConfig, labConfigFromEnv, labRequested, readLabSecret, type LabConfig } from './config';
export { signMessage, verifyMessage, NonceCache, SignatureError, signUrlPath, verifyUrlPath } from './signing';
export { hardwareEncoderOf, softwareFallbackArgs, encoderFailedToOpen } from './fallback';
