import { accessSync, chmodSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable of that name on PATH, or null. */
export function resolveOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A stand-in for ffmpeg or ffprobe in `dir` that answers `-version` as the real one does ("ffprobe version 4.0.2
 * Copyright …") and nothing else: enough to tell which binary was chosen and what the doctor reads.
 */
export function writeToolStandIn(dir: string, tool: 'ffmpeg' | 'ffprobe', version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, tool);
  writeFileSync(file, `#!/bin/sh\nif [ "$2" = "-version" ] || [ "$1" = "-version" ]; then echo "${tool} version ${version} Copyright (c) the FFmpeg developers"; fi\nexit 0\n`);
  chmodSync(file, 0o755);
  return file;
}
