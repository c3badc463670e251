import { attachToken, type AttachActor } from './credentials';
import { connectNodeWs, type NodeWsTransport } from './nodeWsTransport';

/**
 * The contract over the loopback WebSocket of a running studio, for the CLI and `church mcp`: calls land in the
 * app's own services (one job engine, one avatar), and its events come back.
 */
export type RemoteClient = NodeWsTransport;

/** How long a running studio may take to accept us and answer a ping before the caller works on its own. */
export const ATTACH_TIMEOUT_MS = 2000;

/** `attachKey` is the key of the instance file; the actor's own token is derived from it and sent as a header. */
export async function connectRemote(port: number, attachKey: string, actor: AttachActor): Promise<RemoteClient> {
  // A frozen main process still completes the TCP handshake (the kernel does); the timeouts make sure a frozen
  // studio cannot hold `church kill` hostage: the caller falls back to running the services itself.
  const transport = await connectNodeWs(`ws://127.0.0.1:${port}/ws`, {
    handshakeTimeout: ATTACH_TIMEOUT_MS,
    headers: { authorization: `Bearer ${attachToken(attachKey, actor)}` },
  });
  const alive = await Promise.race([
    transport.invoke('system.ping', { echo: 'attach' }),
    new Promise<null>((r) => setTimeout(() => r(null), ATTACH_TIMEOUT_MS).unref()),
  ]);
  if (!alive?.ok) {
    transport.terminate();
    throw new Error('the running studio did not answer in time');
  }
  return transport;
}
