import { comError } from './com-error.js';
import type { AccessibleMachine } from './double-state.js';
import { VM_PROCESS_STATES } from './machine-state.js';
import type { RuntimeState } from './runtime-state.js';

/** Takes runtime state; returns whether a session holds the machine (a VM process, or a long operation). */
export function isSessionLocked(rt: RuntimeState): boolean {
  return VM_PROCESS_STATES.has(rt.state) || rt.operation !== undefined;
}

/**
 * Takes a machine and the VBoxManage source position; throws the `LockMachine(a->session, LockType_Write)`
 * error when a session holds the machine: `The machine '%s' is already locked for a session (or being
 * unlocked)` (VBOX_E_INVALID_OBJECT_STATE, reference §1.0).
 */
export function requireWriteLock(machine: AccessibleMachine, file: string, line: number): void {
  if (!isSessionLocked(machine.runtime)) return;
  throw comError(`The machine '${machine.config.name}' is already locked for a session (or being unlocked)`, {
    hresult: 'VBOX_E_INVALID_OBJECT_STATE',
    component: 'MachineWrap',
    iface: 'IMachine',
    context: 'LockMachine(a->session, LockType_Write)',
    file,
    line,
  });
}
