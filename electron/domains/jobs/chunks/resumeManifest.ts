import { statSync } from 'node:fs';
import type { ChunkUnit } from './chunkUnit';
import { clearUnits, fileSha256, planKeyOf, readManifest, removePartialUnits, sameSource, sourceFingerprint, verifiedUnits, writeManifest, type ChunkManifest } from './chunkWorkDir';

/** Where a chunked run starts from: its manifest, the units already finished, and why earlier work was dropped. */
export interface ResumePoint {
  manifest: ChunkManifest;
  /** Names of the units an earlier attempt finished whose files are intact. */
  verified: Set<string>;
  /** For the job's plan: why an earlier attempt's chunks were discarded. */
  notes: string[];
}

/**
 * What an earlier attempt left in the work folder: kept only for the same source and the same plan (the units'
 * arguments), with checksums verified. Half-written units go; the manifest is rewritten with what was kept.
 */
export async function resumeManifest(workDir: string, sourcePath: string, units: readonly ChunkUnit[]): Promise<ResumePoint> {
  const fingerprint = sourceFingerprint(sourcePath);
  const planKey = planKeyOf(units.map((u) => u.args));
  let previous = readManifest(workDir);
  const notes: string[] = [];
  if (previous && !sameSource(previous.source, fingerprint)) {
    notes.push('the source file changed since the last attempt, so its finished chunks were discarded and the encode restarted from zero');
    previous = null;
    clearUnits(workDir);
  } else if (previous && previous.planKey !== planKey) {
    notes.push('the encode settings changed since the last attempt, so its finished chunks were discarded and the encode restarted from zero');
    previous = null;
    clearUnits(workDir);
  }
  removePartialUnits(workDir);
  const verified = previous ? await verifiedUnits(workDir, previous) : new Set<string>();
  const manifest: ChunkManifest = { version: 1, source: fingerprint, planKey, done: {} };
  for (const name of verified) manifest.done[name] = previous!.done[name]!;
  writeManifest(workDir, manifest);
  return { manifest, verified, notes };
}

/** Records a finished unit (checksum and size) so a later attempt keeps it. */
export async function recordUnitDone(workDir: string, manifest: ChunkManifest, unit: ChunkUnit): Promise<void> {
  const st = statSync(unit.path);
  manifest.done[unit.name] = { sha256: await fileSha256(unit.path), size: st.size };
  writeManifest(workDir, manifest);
}
