import { open } from 'node:fs/promises';
import type { ProbeResult } from '../../../shared/dto/probe';
import { probeFile, type ProbeOptions } from '../../platform/media';
import { oshashOf, readEnds } from './fingerprint';
import { readMp4Header } from './mp4Header';

export interface FileFacts {
  fingerprint: string;
  size: number;
  /** Stream facts read from the container header in-process, or null when ffprobe must be asked. */
  header: ProbeResult | null;
}

/**
 * One open of the file: the head and tail blocks give the fingerprint, and the head (plus, for a moov at the
 * end, a read or two) gives the MP4/MOV header.
 */
export async function readFileFacts(path: string): Promise<FileFacts> {
  const fh = await open(path, 'r');
  try {
    const { size, head, tail } = await readEnds(fh);
    let header: ProbeResult | null = null;
    try {
      header = await readMp4Header(fh, size, head, tail);
    } catch {
      header = null; // anything odd: ffprobe decides
    }
    return { fingerprint: oshashOf(size, head, tail), size, header };
  } finally {
    await fh.close();
  }
}

/** The library's probe: the in-process header when it is complete, else ffprobe (full detail and diagnosis). */
export async function probeForLibrary(path: string, opts: ProbeOptions & { header?: ProbeResult | null }): Promise<ProbeResult> {
  if (opts.header) return opts.header;
  return probeFile(path, opts);
}
