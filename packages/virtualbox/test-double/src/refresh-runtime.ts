import type { AccessibleMachine } from './double-state.js';
import { settingsTime } from './format-time.js';
import { VM_PROCESS_STATES } from './machine-state.js';
import { isProcessAlive } from './process-alive.js';
import { readWriterStatus, updateWriterControl } from './writer-control.js';

/**
 * Takes a machine; brings its runtime state up to date the way VBoxSVC notices events: a guest writer
 * (the VM process) that is gone means `aborted` (or `poweroff` after an ACPI shutdown it acknowledged),
 * and a long operation whose VBoxManage process died returns the machine to the state it started from.
 * Returns whether anything changed (the caller saves the machine).
 */
export async function refreshRuntime(machine: AccessibleMachine): Promise<boolean> {
  const rt = machine.runtime;
  let changed = false;
  if (rt.operation && !isProcessAlive(rt.operation.pid)) {
    rt.state = rt.operation.resumeState;
    rt.stateChangeMs = Date.now();
    delete rt.operation;
    await updateWriterControl(machine.runtimeDir, (c) => {
      c.holds = c.holds.filter((h) => h === 'pause' || h === 'freeze');
    });
    changed = true;
  }
  // While a long operation runs, its own process owns the state; a dead VM process is noticed afterwards.
  if (rt.operation) return changed;
  if (
    VM_PROCESS_STATES.has(rt.state) &&
    rt.writerPid !== undefined &&
    !isProcessAlive(rt.writerPid, machine.runtimeDir)
  ) {
    const exitedAt = readWriterStatus(machine.runtimeDir)?.exitedAt;
    const clean = rt.acpiRequested === true && exitedAt !== undefined;
    rt.state = clean ? 'poweroff' : 'aborted';
    rt.stateChangeMs = clean ? exitedAt : Date.now();
    machine.config.lastStateChange = settingsTime(rt.stateChangeMs);
    machine.config.aborted = !clean;
    delete rt.sessionName;
    delete rt.writerPid;
    delete rt.guestPaused;
    delete rt.acpiRequested;
    delete rt.frozen;
    changed = true;
  }
  return changed;
}
