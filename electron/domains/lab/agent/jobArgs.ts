import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { OUTPUT_TOKEN, SOURCE_TOKEN } from '../protocol';
import type { PathMapping } from './agentTypes';

/** A source by the agent's own path when the studio's file is reachable through a mapping, else its signed URL. */
export function resolveSource(src: { path: string; url: string }, map: readonly PathMapping[], exists: (p: string) => boolean = existsSync): string {
  for (const m of map) {
    const from = m.from.endsWith('/') ? m.from : `${m.from}/`;
    if (src.path.startsWith(from)) {
      const local = join(m.to, src.path.slice(from.length));
      // Only a file under the mount: a studio path with '..' in it must not reach the rest of this host's disk.
      const inside = relative(m.to, local);
      if (inside.startsWith('..') || isAbsolute(inside)) continue;
      if (exists(local)) return `file:${local}`;
    }
  }
  return src.url;
}

export function fillArgs(args: readonly string[], sources: readonly string[], output: string): string[] {
  return args.map((a) => {
    if (a === OUTPUT_TOKEN) return output;
    const i = sources.findIndex((_, n) => a === SOURCE_TOKEN(n));
    return i >= 0 ? sources[i]! : a;
  });
}
