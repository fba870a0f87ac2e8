import type { AccessibleMachine } from './double-state.js';
import { holdWriter, releaseWriter } from './writer-control.js';

/**
 * Takes a running machine; suspends its guest: the writer is held at a write boundary, then SIGSTOPped.
 * Returns false when the writer is gone (the caller then sees the VM abort).
 */
export async function pauseGuest(machine: AccessibleMachine): Promise<boolean> {
  const pid = machine.runtime.writerPid;
  if (pid === undefined) return false;
  if (!(await holdWriter(machine.runtimeDir, 'pause', pid))) return false;
  try {
    process.kill(pid, 'SIGSTOP');
  } catch {
    return false;
  }
  machine.runtime.guestPaused = true;
  return true;
}

/** Takes a paused machine; lets its guest run again (SIGCONT, then the hold is released). */
export async function resumeGuest(machine: AccessibleMachine): Promise<void> {
  const pid = machine.runtime.writerPid;
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone: the next look at the VM marks it aborted
    }
  }
  await releaseWriter(machine.runtimeDir, 'pause');
  delete machine.runtime.guestPaused;
}
