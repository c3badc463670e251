/** Placeholder: the status-bar readout of running jobs (job-engine work). */
export function RunningJobs() {
  return null;
}
