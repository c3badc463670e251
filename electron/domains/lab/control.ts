import type { LabConfig } from './config';
import { CONTROL_CHANNEL } from './names';
import type { ControlBody } from './protocol';
import { connectRedis, waitForRedis } from './redis';
import { studioKeys } from './identity';
import { signMessage } from './signing';

/** One signed control message on its own short connection (the Lab view's pause switch). */
export async function sendControl(lab: LabConfig, body: ControlBody): Promise<void> {
  const redis = connectRedis(lab.url, 'church-studio-control-once');
  try {
    await waitForRedis(redis, lab.url, 5000);
    await redis.publish(CONTROL_CHANNEL, JSON.stringify(signMessage(studioKeys(lab.secret).signer, body)));
  } finally {
    redis.disconnect();
  }
}
