import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import type { PresetKind } from '../../../shared/dto/jobs';
import { UnitFailed, type UnitRunner } from '../jobs/chunks/chunkUnit';
import type { RemoteRunner } from '../jobs/remoteRunner';

/**
 * The files a unit's ffmpeg reads, as its `-i` arguments name them; null when one of them is a concat list (the
 * avatar cue overlay), whose entries name further files an agent could not reach through one signed URL.
 */
export function unitInputs(args: readonly string[]): string[] | null {
  const inputs: string[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] !== '-i') continue;
    if (args[i - 2] === '-f' && args[i - 1] === 'concat') return null;
    const a = args[i + 1]!;
    inputs.push(a.startsWith('file:') ? a.slice('file:'.length) : a);
  }
  return inputs;
}

/** The first reason in an agent's log tail, for the owner's message. */
function reasonOf(logTail: string): string {
  const lines = logTail.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => l.startsWith('error:'))?.slice('error:'.length).trim() ?? lines.at(-1) ?? 'no log').slice(0, 300);
}

/**
 * Runs a chunked job's units on lab agents: each unit (a chunk, or the audio pass) is one BullMQ job an agent
 * takes, reading the source by its signed URL (or its own mount) and uploading the unit's file back to the
 * unit's temp path, which becomes the unit's file only when the upload completed. The work folder and its
 * chunks.json stay here, so resume, pause and the join are the same as for local units. A unit the lab cannot
 * run (a concat-list input), or any unit while no agent is online, runs locally.
 */
export function labChunkRunner(remote: RemoteRunner, kind: PresetKind, local: UnitRunner): UnitRunner {
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
      onProgress: (s) => hooks.onProgress(s),
    });
    hooks.onStart(handle);
    const exit = await handle.done;
    if (exit.code !== 0) {
      throw new UnitFailed(exit.signal
        ? `${unit.label}: stopped on the lab agent (${exit.signal}); retry the job (finished chunks are kept)`
        : `${unit.label}: the lab agent could not encode it: ${reasonOf(exit.logTail)}; check the agent, then retry (finished chunks are kept)`, exit.logTail, exit.code);
    }
    renameSync(unit.partPath, unit.path);
  };
}
