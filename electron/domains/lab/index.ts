// The lab's public face. Importing it stays cheap: what needs bullmq or ioredis (the runner, the agent, Redis
// reads) is behind a `load…` function, so a studio without a lab never loads them.
export { createLabService, type LabService, type LabServiceDeps } from './labService';
// The lab's job executor, opened for the host to register with the job engine (bullmq loads on the call).
export { openLabExecutor } from './openLabExecutor';
export { labConfig, labConfigFromEnv, labRequested, readLabSecret, type LabConfig } from './config';
export { writeNewLabSecret, checkLabSecretPath } from './labSecretFile';
export { readAgents, type AgentState, type AgentView } from './labStatus';
export { agentKeyText } from './identity';
export { signMessage, verifyMessage, NonceCache, SignatureError, signUrlPath, verifyUrlPath } from './signing';
export type { AgentOptions, PathMapping, RunningAgent } from './agent/agentTypes';
export { hardwareEncoderOf, softwareFallbackArgs, encoderFailedToOpen } from './fallback';

/** The lab's job runner (BullMQ): what the jobs composer hands to the engine when a lab is configured. */
export const loadLabRunner = () => import('./LabRunner');
/** `church agent`: this host as a lab agent. */
export const loadAgent = () => import('./agent/runAgent');
/** One read of the lab's agents and queues (the Lab view, `church lab`). */
export const loadLabOverview = () => import('./overview');
/** Signed control messages to the agents (pause one). */
export const loadLabControl = () => import('./control');
