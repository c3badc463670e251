/** Placeholder: the job engine's section of Settings: concurrency, crash recovery, presets (job-engine work). */
export function JobSettings() {
  return null;
}
