import { readFileSync } from 'node:fs';
import { ChurchError } from '../../../shared/errors';

/**
 * CA certificates to trust per lab URL (Settings → Lab → CA file, CHURCH_LAB_CA_FILE, `church agent --lab-ca`),
 * for every connection to that Redis. Apart from redis.ts so that reading the settings does not load ioredis when
 * no lab is on.
 */
const labCas = new Map<string, Buffer>();

export function trustLabCa(url: string, ca: Buffer): void {
  labCas.set(url, ca);
}

export function labCaFor(url: string): Buffer | undefined {
  return labCas.get(url);
}

/**
 * The TLS part of every Redis connection option to a lab URL (ioredis, BullMQ's QueueEvents): the trusted CA for
 * rediss://, nothing for redis://, so no connection of a process trusts less or more than the others.
 */
export function labTlsOptions(url: string): { tls?: { ca?: Buffer } } {
  if (!url.startsWith('rediss:')) return {};
  const ca = labCas.get(url);
  return { tls: ca ? { ca } : {} };
}

/** A PEM CA file, or an error naming the file and `fix` (where the person picks another one). */
export function readCaFile(file: string, fix: string): Buffer {
  try {
    const pem = readFileSync(file);
    if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (e) {
    throw new ChurchError('INVALID_INPUT', `the Redis CA file ${file} cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${fix}`);
  }
}
