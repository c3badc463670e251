/**
 * Whether a process with this id exists. Signal 0 only checks; EPERM means it exists but belongs to another
 * user, which still counts: a lock or instance file held by it is not stale.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
