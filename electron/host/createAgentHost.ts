import { labConfig, loadAgent, type AgentOptions, type RunningAgent } from '../domains/lab';

export interface AgentHostOptions extends Omit<AgentOptions, 'lab'> {
  /** The lab's Redis (redis:// or rediss://), the shared secret file, and for rediss:// a private CA. */
  lab: { url: string; secretFile: string | undefined; caFile: string | undefined };
}

/**
 * `church agent` composed: the lab read from its URL and secret file, then this host as a lab agent (BullMQ and
 * Redis load only now). Its kill switch reads the plan file as the studio's does (killswitch loadPlan), from
 * the agent's own data dir.
 */
export async function createAgentHost(o: AgentHostOptions): Promise<RunningAgent> {
  // The secret may not be one of the agent's own files (its data dir), as for the studio.
  const lab = labConfig(o.lab.url, o.lab.secretFile, o.lab.caFile, [o.dataDir]);
  const { startAgent } = await loadAgent();
  return startAgent({ ...o, lab });
}
