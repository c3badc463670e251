import { existsSync, openSync, readdirSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ProbeResult } from '../../../shared/dto/probe';
import { probeFile } from '../../platform/media/probe';
import type { Expectation } from './planJob';

function isImageFile(path: string): boolean {
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  const jpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  const png = head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return jpeg || png;
}

/** Bytes of a file, or of every file below a folder. */
export function sizeOnDisk(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOnDisk(join(path, name)), 0);
}

/**
 * Proves a finished output is what the preset promised before it is renamed into place: it exists, is not
 * empty, and ffprobe reads it with the expected streams (an image has a JPEG/PNG signature). Throws an Error
 * whose message says what is wrong.
 */
export async function checkOutput(file: string, expect: Expectation, env: NodeJS.ProcessEnv): Promise<ProbeResult | null> {
  const name = basename(file);
  if (!existsSync(file)) throw new Error(`ffmpeg exited successfully but wrote no ${name}`);
  if (statSync(file).size === 0) throw new Error(`ffmpeg wrote an empty ${name}`);
  if (expect.image) {
    if (!isImageFile(file)) throw new Error(`${name} is not a JPEG or PNG image`);
    return null;
  }
  const probe = await probeFile(file, { env, timeoutMs: 30_000 });
  const video = probe.streams.some((s) => s.type === 'video' && !s.attachedPic);
  const audio = probe.streams.some((s) => s.type === 'audio');
  if (expect.video && !video) throw new Error(`${name} has no video stream`);
  if (!expect.video && video) throw new Error(`${name} has a video stream where only audio was expected`);
  if (expect.audio === true && !audio) throw new Error(`${name} lost the audio track`);
  if (expect.audio === false && audio) throw new Error(`${name} has an audio track where none was expected`);
  return probe;
}
