import type { Worker } from 'bullmq';
import type { AgentContext } from './agentTypes';

/**
 * An agent that cannot verify the studio's messages (its secret differs) must not take jobs only to refuse them:
 * each refusal would fail a job that another agent could run. It stops taking work, leaves what it picked for
 * others, says so once (log and, through its heartbeat's signature, `church lab`), and takes work again once the
 * studio's key in Redis is the one its own secret gives (the owner fixed the studio's secret, or a new studio).
 */
export function studioTrust(ctx: Pick<AgentContext, 'opts' | 'cred' | 'paused' | 'secretDiffers'>, workers: () => Worker[]) {
  let said = false;
  const stop = (why: string): void => {
    if (ctx.secretDiffers) return;
    ctx.secretDiffers = true;
    for (const w of workers()) void w.pause(true).catch(() => undefined);
    if (!said) {
      said = true;
      ctx.opts.log(`this agent's lab secret differs from the studio's (${why}): it takes no work and leaves jobs for the other agents; copy the studio's secret file to this host (or make this agent's key with "church lab agent-key ${ctx.opts.name} --out FILE" on the studio) and restart it`);
    }
  };
  return {
    stop,
    /** The studio's key as published in Redis, read at each heartbeat. */
    checkPublished(published: string | null): void {
      if (published === null) return;
      if (published !== ctx.cred.studioId) return stop('the studio\'s key in Redis is not the one this agent\'s secret gives');
      if (!ctx.secretDiffers) return;
      ctx.secretDiffers = false;
      ctx.opts.log('the studio\'s key now matches this agent\'s secret; taking work again');
      if (!ctx.paused) for (const w of workers()) w.resume();
    },
  };
}
