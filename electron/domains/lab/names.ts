/** Every Redis key, queue and channel the lab uses, in one place (all under one prefix). */
export const LAB_PREFIX = 'church';
/** Software work: every agent takes it. */
export const ENCODE_QUEUE = 'church-encode';
/** Work that needs one encoder (a hardware one): only agents whose test encode passed for it take it. */
export function encoderQueue(encoder: string): string {
  return `church-encode-${encoder}`;
}
export const CONTROL_CHANNEL = 'church:lab:control';
export const AGENTS_SET = 'church:lab:agents';
export function agentKey(name: string): string {
  return `church:lab:agent:${name}`;
}
export function killReportsKey(runId: string): string {
  return `church:lab:kill:${runId}`;
}
export const SECRET_CHECK_KEY = 'church:lab:secret-check';
/** Agents' monitor samples, signed, one message per sample. */
export const SAMPLES_CHANNEL = 'church:lab:samples';
/** An agent's newest signed sample (for one-shot readers such as `church lab`), expiring when the agent is gone. */
export function sampleKey(name: string): string {
  return `church:lab:sample:${name}`;
}
/** A nonce one reader (an agent) has acted on, so the same message is not acted on again after a restart. */
export function nonceKey(reader: string, nonce: string): string {
  return `church:lab:nonce:${reader}:${nonce}`;
}
/** Who took a job envelope (by its nonce), and whether it is done: envelopes are single-use. */
export function envelopeKey(nonce: string): string {
  return `church:lab:envelope:${nonce}`;
}
/** Set when the studio cancels a lab job: an agent taking it later (after a restart, a stall) refuses to start it. */
export function cancelledKey(bullId: string): string {
  return `church:lab:cancelled:${bullId}`;
}
