import { readFileSync } from 'node:fs';

/**
 * Takes a pid; returns whether that process exists and is not a zombie. A detached guest writer whose
 * parent exited is reaped by PID 1, which in some containers never reaps, so `/proc/<pid>/stat` is read
 * to tell a zombie from a live process. With `marker`, the process's command line must contain it (guards
 * against pid reuse).
 */
export function isProcessAlive(pid: number, marker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker !== undefined && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) return false;
  } catch {
    // No /proc (macOS): kill(pid, 0) is the best answer there.
  }
  return true;
}
