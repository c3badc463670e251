import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The owner's umask (as every program they run applies it); reading it this way is the only way Node offers. */
function ownersUmask(): number {
  return process.umask();
}

/**
 * One rule for every finished output, whoever wrote it (a local ffmpeg, a lab agent's upload, a chunked join):
 * files 0666 and folders 0777 less the owner's umask, as any program of theirs would make them. An upload lands
 * owner-only while it is in flight; the data dir around the default outputs folder stays owner-only regardless.
 */
export function applyOutputMode(path: string, umask = ownersUmask()): void {
  if (process.platform === 'win32') return;
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    chmodSync(path, 0o777 & ~umask);
    for (const name of readdirSync(path)) applyOutputMode(join(path, name), umask);
  } else if (st.isFile()) {
    chmodSync(path, 0o666 & ~umask);
  }
}
