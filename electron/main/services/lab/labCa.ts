/**
 * CA certificates to trust per lab URL (Settings → Lab → CA file), for every connection to that Redis. Apart from
 * redis.ts so that reading the settings does not load ioredis when no lab is on.
 */
const labCas = new Map<string, Buffer>();

export function trustLabCa(url: string, ca: Buffer): void {
  labCas.set(url, ca);
}

export function labCaFor(url: string): Buffer | undefined {
  return labCas.get(url);
}
