import { writeFileSync } from 'node:fs';
import { ChurchError } from '../../shared/errors';
import { agentKeyText, labConfig, loadAgent, readLabSecret, type AgentOptions, type RunningAgent } from '../domains/lab';

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

/**
 * `church agent-key NAME --out FILE`: one agent's key file, made from the lab secret on the studio's host. The
 * agent holds its own share (its signing key, the job seal, the studio's public key) and not the lab secret, so
 * a compromised agent host cannot sign for another agent or for the studio. Never overwrites a file.
 */
export function writeAgentKey(secretFile: string | undefined, name: string, out: string): void {
  if (!secretFile) throw new ChurchError('INVALID_INPUT', 'an agent key is made from the lab secret: pass --lab-secret-file FILE (or set CHURCH_LAB_SECRET_FILE)');
  const text = agentKeyText(readLabSecret(secretFile), name);
  try {
    writeFileSync(out, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ChurchError('INVALID_INPUT', code === 'EEXIST' ? `${out} exists already; choose another file (an agent key is never written over a file)` : `the agent key could not be written to ${out} (${code ?? (e as Error).message})`);
  }
}
