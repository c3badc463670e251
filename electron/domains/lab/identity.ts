import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';
import { ChurchError } from '../../../shared/errors';
import { hmacKey, type MessageKey } from './signing';

/**
 * Who is who in the lab. Everything is derived from the lab secret with HKDF-SHA256, so the studio needs nothing
 * but the secret file, and each part holds only what it needs:
 * - each agent signs what it says (announcements, samples, progress, results, kill reports) with its own key,
 *   HKDF(secret, "agent:NAME"): the studio checks it under the name, so one agent cannot speak for another;
 * - the studio signs jobs and control messages with an Ed25519 key whose seed is HKDF(secret, "studio"): an agent
 *   holds its public half only, so no agent can speak for the studio;
 * - job payloads are sealed (AES-256-GCM) with HKDF(secret, "job-seal"), so a Redis reader sees no transfer URL.
 * An agent started with the lab secret derives its own share; one started with an agent key file
 * (`church lab agent-key`) holds that share and nothing else, so a compromised host does not hold the lab.
 */
const SALT = 'church-lab-keys-v1';
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const AGENT_KEY_PREFIX = 'church-lab-agent-key:v1:';

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, info, 32));
}

function ed25519Private(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: 'der', type: 'pkcs8' });
}

function ed25519Public(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI, raw]), format: 'der', type: 'spki' });
}

function rawPublic(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI.length);
}

/** Checks the studio's signatures; signs nothing (an agent holding it cannot forge a studio message). */
function studioVerifier(pub: KeyObject): MessageKey {
  return {
    sign() {
      throw new Error('an agent cannot sign as the studio');
    },
    verify(data, sig) {
      try {
        return verify(null, Buffer.from(data), pub, Buffer.from(sig, 'base64url'));
      } catch {
        return false;
      }
    },
  };
}

/** The studio's public key as it is published in Redis and kept in agent key files. */
function studioIdOf(raw: Buffer): string {
  return `ed25519:${raw.toString('base64url')}`;
}

export interface StudioKeys {
  /** Signs jobs and control messages. */
  signer: MessageKey;
  /** The public key agents check those with, as published in Redis (SECRET_CHECK_KEY). */
  id: string;
  /** Seals job payloads. */
  seal: Buffer;
  /** An agent's key, to check what that agent says. */
  agent(name: string): MessageKey;
}

const studioCache = new WeakMap<Buffer, StudioKeys>();

export function studioKeys(secret: Buffer): StudioKeys {
  const cached = studioCache.get(secret);
  if (cached) return cached;
  const priv = ed25519Private(derive(secret, 'studio'));
  const agents = new Map<string, MessageKey>();
  const keys: StudioKeys = {
    signer: { sign: (data) => sign(null, Buffer.from(data), priv).toString('base64url'), verify: studioVerifier(createPublicKey(priv)).verify },
    id: studioIdOf(rawPublic(createPublicKey(priv))),
    seal: derive(secret, 'job-seal'),
    agent(name) {
      let k = agents.get(name);
      if (!k) agents.set(name, (k = hmacKey(agentSecret(secret, name))));
      return k;
    },
  };
  studioCache.set(secret, keys);
  return keys;
}

function agentSecret(secret: Buffer, name: string): Buffer {
  return derive(secret, `agent:${name}`);
}

/** What one agent holds: its name, its own signing key, the job seal and the studio's public key. */
export interface AgentCredential {
  name: string;
  key: MessageKey;
  seal: Buffer;
  studio: MessageKey;
  /** The studio key this credential expects in Redis: another one there means this agent's secret differs. */
  studioId: string;
  /** Whether it came from an agent key file (the host does not hold the lab secret). */
  fromKeyFile: boolean;
}

/** The key file for one agent (`church lab agent-key NAME`): one line, owner-only, useless for any other name. */
export function agentKeyText(secret: Buffer, name: string): string {
  const pub = rawPublic(createPublicKey(ed25519Private(derive(secret, 'studio'))));
  return `${AGENT_KEY_PREFIX}${name}:${Buffer.concat([agentSecret(secret, name), derive(secret, 'job-seal'), pub]).toString('base64url')}`;
}

/**
 * The agent's credential from what its --secret-file holds: an agent key file for this name, or the lab secret
 * itself (the agent derives its share). A key file for another name is refused with what to do.
 */
export function agentCredential(fileContent: Buffer, name: string): AgentCredential {
  const text = fileContent.toString('utf8').trim();
  if (!text.startsWith(AGENT_KEY_PREFIX)) {
    const pub = rawPublic(createPublicKey(ed25519Private(derive(fileContent, 'studio'))));
    return { name, key: hmacKey(agentSecret(fileContent, name)), seal: derive(fileContent, 'job-seal'), studio: studioVerifier(ed25519Public(pub)), studioId: studioIdOf(pub), fromKeyFile: false };
  }
  const rest = text.slice(AGENT_KEY_PREFIX.length);
  const cut = rest.lastIndexOf(':');
  const keyName = rest.slice(0, cut);
  const raw = Buffer.from(rest.slice(cut + 1), 'base64url');
  if (cut <= 0 || raw.length !== 96) throw new ChurchError('INVALID_INPUT', 'the agent key file is damaged; make it again on the studio with "church lab agent-key NAME --out FILE"');
  if (keyName !== name) throw new ChurchError('INVALID_INPUT', `this agent key is for the agent "${keyName}"; start the agent with --name ${keyName}, or make a key for "${name}" with "church lab agent-key ${name} --out FILE"`);
  const pub = raw.subarray(64);
  return { name, key: hmacKey(raw.subarray(0, 32)), seal: raw.subarray(32, 64), studio: studioVerifier(ed25519Public(pub)), studioId: studioIdOf(pub), fromKeyFile: true };
}
