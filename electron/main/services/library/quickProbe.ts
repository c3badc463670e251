import type { ProbeResult } from '../../../../shared/dto/probe';
import { probeFile, type ProbeOptions } from '../media';

/** The library's probe: ffprobe for now (a header fast path may answer first). */
export async function probeForLibrary(path: string, opts: ProbeOptions): Promise<ProbeResult> {
  return probeFile(path, opts);
}
