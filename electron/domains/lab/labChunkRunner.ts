import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import type { PresetKind } from '../../../shared/dto/jobs';
import { UnitFailed, killedMessage, type UnitRunner } from '../jobs';
import type { LabStarter } from './labRun';

/**
 * The files a unit's ffmpeg reads, as its `-i` arguments name them; null when one of them is a concat list (the
 * avatar cue overlay), whose entries name further files an agent could not reach through one signed URL.
 */
export function unitInputs(args: readonly string[]): string[] | null {
  const inputs: string[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] !== '-i') continue;
    // -f concat may sit anywhere among this input's options (`-f concat -safe 0 -i list`), back to the last input.
    for (let j = i - 1; j > 0 && args[j - 1] !== '-i'; j--) if (args[j - 1] === '-f' && args[j] === 'concat') return null;
    const a = args[i + 1]!;
    inputs.push(a.startsWith('file:') ? a.slice('file:'.length) : a);
  }
  return inputs;
}

/**
 * Runs a chunked job's units on lab agents: each unit (a chunk, or the audio pass) is one BullMQ job an agent
 * takes, reading the source by its signed URL (or its own mount) and uploading the unit's file back to the
 * unit's temp path, which becomes the unit's file only when the upload completed. The work folder and its
 * chunks.json stay here, so resume, pause and the join are the same as for local units. A unit the lab cannot
 * run (a concat-list input), or any unit while no agent is online, runs locally.
 */
export function labChunkRunner(remote: LabStarter, kind: PresetKind, local: UnitRunner): UnitRunner {
  return async (unit, hooks) => {
    const inputs = unitInputs(unit.args);
    if (!inputs || !remote.capacity()) return local(unit, hooks);
    const handle = remote.start({
      jobId: unit.jobId,
      attempt: 0,
      // Unique per run: a unit sent again after a pause or a crash must not meet its earlier BullMQ job's id.
      unit: `${unit.name.replace(/[^\w-]/g, '_')}-${randomBytes(4).toString('hex')}`,
      kind,
      args: unit.args,
      sourcePaths: inputs,
      tempPath: unit.partPath,
      durationSec: unit.durationSec || null,
      // A unit's output is not estimated: the cap follows its source (limits.ts) and the studio's free space.
      maxOutputBytes: null,
      onProgress: (s) => hooks.onProgress(s),
    });
    hooks.onStart(handle);
    const end = await handle.done;
    if (end.kind === 'stopped') throw new UnitFailed(`${unit.label}: stopped on the lab agent (${end.signal}); retry the job (finished chunks are kept)`, end.logTail, null);
    if (end.kind === 'killed') throw new UnitFailed(killedMessage(end.signal, { unit: unit.label }), end.logTail, null);
    if (end.kind === 'notStored') throw new UnitFailed(`${unit.label}: the output could not be stored: ${end.reason.trim().replace(/\.$/, '')} (finished chunks are kept)`, end.logTail, null);
    if (end.kind === 'failed') throw new UnitFailed(`${unit.label}: the lab agent could not encode it: ${end.reason.trim().slice(0, 300)}; check the agent, then retry (finished chunks are kept)`, end.logTail, 1);
    renameSync(unit.partPath, unit.path);
  };
}
