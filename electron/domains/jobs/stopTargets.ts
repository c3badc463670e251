import type { JobStore, StoredJob } from './JobStore';

function what(j: StoredJob): string {
  const source = j.videoId === null ? 'a file' : `video #${j.videoId}`;
  return `${j.preset} of ${source}`;
}

/**
 * What stopping every job would stop, named one by one for the kill switch's rehearsal: "running job #4 (web of
 * video #1), ffmpeg PID 5120", "queued job #5 (hls of video #2)". Read from the jobs table, so it is the same in
 * every process on the data dir.
 */
export function stopTargets(store: JobStore): string[] {
  const active = store.withStatus('running', 'paused').map((j) => `${j.status} job #${j.id} (${what(j)})${j.pid ? `, ffmpeg PID ${j.pid}` : ''}`);
  const queued = store.withStatus('queued').map((j) => `queued job #${j.id} (${what(j)})`);
  return [...active, ...queued];
}
