import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLabSecret } from '../../electron/domains/lab/config';
import { ENCODE_QUEUE } from '../../electron/domains/lab/names';
import { OUTPUT_TOKEN, SOURCE_TOKEN, type LabJobBody } from '../../electron/domains/lab/protocol';
import { studioKeys } from '../../electron/domains/lab/identity';
import { sealPayload } from '../../electron/domains/lab/sealing';
import { signMessage } from '../../electron/domains/lab/signing';
import { describeWithRedis } from '../helpers/redis';
import { useLabCluster } from '../helpers/lab';

// Issue #25 item 5, as the review tried it: someone holding the lab secret signs a job whose ffmpeg arguments no
// preset builds (`-f data -i data:… -f data /any/path`) and puts it in the queue. A real `church agent` with real
// ffmpeg takes it. Before the policy the agent ran it and the attacker's bytes landed at the chosen path.

describeWithRedis('an agent runs only what a preset builds', () => {
  const lab = useLabCluster('church-lab-argv-');
  let queue: Queue;
  let events: QueueEvents;

  beforeAll(async () => {
    // A folder the agent's user can write, as a home directory is: only the policy stands between it and the job.
    mkdirSync(join(lab.dir, 'outside'));
    await lab.startAgent('alpha');
    queue = new Queue(ENCODE_QUEUE, { connection: { url: lab.redis.url } });
    events = new QueueEvents(ENCODE_QUEUE, { connection: { url: lab.redis.url } });
    await events.waitUntilReady();
  }, 120_000);
  afterAll(async () => {
    await events?.close();
    await queue?.close();
  });

  /** A job signed with the studio's key and sealed, from the real lab secret, as a studio (or whoever holds the secret) would send it. */
  const send = async (id: string, args: string[], sources: LabJobBody['sources'] = []) => {
    // A valid envelope for its own BullMQ id and time: only the argv policy is left to refuse it.
    const body: LabJobBody = { studioJobId: 1, attempt: 1, args, fallbackArgs: null, encoder: null, sources, outputUrl: 'http://127.0.0.1:9/upload', outExt: '.mp4', durationSec: null, bullId: id, expiresAt: Date.now() + 600_000 };
    const keys = studioKeys(readLabSecret(lab.secret));
    const job = await queue.add('encode', sealPayload(keys.seal, id, signMessage(keys.signer, body)), { jobId: id });
    return job.waitUntilFinished(events, 60_000).then(() => 'completed', (e: Error) => e.message);
  };

  it("refuses the review's -f data write to a path outside its work folder, and the file is never written", async () => {
    const target = join(lab.dir, 'outside', 'authorized_keys');
    const payload = Buffer.from('ssh-ed25519 AAAA attacker\n').toString('base64');
    const reason = await send('evil-1', ['-hide_banner', '-nostdin', '-y', '-f', 'data', '-i', `data:text/plain;base64,${payload}`, '-map', '0', '-c', 'copy', '-f', 'data', target]);
    expect(reason).toMatch(/refused the job: its ffmpeg arguments are not ones a studio preset builds/);
    expect(reason).toMatch(/-f data/);
    expect(existsSync(target)).toBe(false);
    expect(lab.agents[0]!.stderr()).toMatch(/refused job evil-1/);
  }, 90_000);

  it('refuses a preset-shaped job whose output is a path of the sender, and one whose source is a data: URL', async () => {
    const target = join(lab.dir, 'outside', 'out.mp4');
    const reason = await send('evil-2', ['-hide_banner', '-nostdin', '-y', '-i', SOURCE_TOKEN(0), '-map', '0:v:0', '-c', 'copy', '-f', 'mp4', target], [{ path: '/nowhere/clip.mp4', url: 'http://127.0.0.1:9/source' }]);
    expect(reason).toMatch(/not ones a studio preset builds/);
    expect(existsSync(target)).toBe(false);
    const dataSource = await send('evil-3', ['-hide_banner', '-nostdin', '-y', '-i', SOURCE_TOKEN(0), '-map', '0:v:0', '-c', 'copy', '-f', 'mp4', OUTPUT_TOKEN], [{ path: '/nowhere/clip.mp4', url: 'data:text/plain;base64,AAAA' }]);
    expect(dataSource).toMatch(/refused the job: .*source/);
  }, 90_000);
});
