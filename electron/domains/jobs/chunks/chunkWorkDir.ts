import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';

/**
 * A chunked job's work folder: the finished units (chunks, the audio pass) with their checksums in
 * chunks.json, so a later attempt continues from them. Recovery keeps a folder that has this manifest.
 */
export const MANIFEST = 'chunks.json';
/** A unit is written under this prefix and renamed to its name only once ffmpeg succeeded. */
export const PART_PREFIX = '.part-';

export interface SourceFingerprint {
  size: number;
  mtimeMs: number;
  /** sha256 of the first and last MiB: catches a file replaced in place with the same size and time. */
  edgesSha256: string;
}

export interface ChunkManifest {
  version: 1;
  source: SourceFingerprint;
  /** Hash of everything that decides the units' bytes (their arguments): another plan starts from zero. */
  planKey: string;
  /** Finished units by file name. */
  done: Record<string, { sha256: string; size: number }>;
}

export function sourceFingerprint(path: string): SourceFingerprint {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const h = createHash('sha256');
    const edge = Math.min(st.size, 1024 * 1024);
    const buf = Buffer.alloc(edge);
    readSync(fd, buf, 0, edge, 0);
    h.update(buf);
    readSync(fd, buf, 0, edge, Math.max(0, st.size - edge));
    h.update(buf);
    return { size: st.size, mtimeMs: Math.round(st.mtimeMs), edgesSha256: h.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

export function sameSource(a: SourceFingerprint, b: SourceFingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.edgesSha256 === b.edgesSha256;
}

export function planKeyOf(unitArgs: readonly (readonly string[])[]): string {
  return createHash('sha256').update(JSON.stringify(unitArgs)).digest('hex');
}

export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** The manifest, or null when there is none or it cannot be read (then the job starts from zero). */
export function readManifest(workDir: string): ChunkManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(workDir, MANIFEST), 'utf8')) as ChunkManifest;
    return m.version === 1 && m.source && typeof m.planKey === 'string' && m.done && typeof m.done === 'object' ? m : null;
  } catch {
    return null;
  }
}

/** Temp name, then rename: a crash mid-write leaves the previous manifest, never half of one. */
export function writeManifest(workDir: string, m: ChunkManifest): void {
  const tmp = join(workDir, `${MANIFEST}.tmp`);
  writeFileSync(tmp, JSON.stringify(m), { mode: 0o600 });
  renameSync(tmp, join(workDir, MANIFEST));
}

/** Whether the folder holds a finished unit (its manifest lists one): only then is it worth keeping for a retry. */
export function holdsFinishedUnits(workDir: string): boolean {
  const m = readManifest(workDir);
  return m !== null && Object.keys(m.done).length > 0;
}

export function hasManifest(workDir: string): boolean {
  return existsSync(join(workDir, MANIFEST));
}

/** Every unit file is named with this prefix (other files in the folder, like rendered cue frames, are not units). */
export const UNIT_PREFIX = 'unit-';

/** Removes the finished units and the manifest (the job starts from zero); other work files stay. */
export function clearUnits(workDir: string): void {
  for (const name of readdirSync(workDir)) {
    if (name.startsWith(UNIT_PREFIX) || name.startsWith(PART_PREFIX) || name.startsWith(MANIFEST)) rmSync(join(workDir, name), { recursive: true, force: true });
  }
}

/** Removes half-written units (a run cut off mid-chunk); finished ones stay. Never throws. */
export function removePartialUnits(workDir: string): void {
  try {
    for (const name of readdirSync(workDir)) if (name.startsWith(PART_PREFIX)) rmSync(join(workDir, name), { force: true });
  } catch {
    // nothing to remove
  }
}

/** The finished units whose file is still there with the recorded size and checksum. */
export async function verifiedUnits(workDir: string, m: ChunkManifest): Promise<Set<string>> {
  const ok = new Set<string>();
  for (const [name, rec] of Object.entries(m.done)) {
    const p = join(workDir, name);
    try {
      if (statSync(p).size === rec.size && (await fileSha256(p)) === rec.sha256) ok.add(name);
    } catch {
      // missing: encoded again
    }
  }
  return ok;
}
