import { comError } from './com-error.js';
import type { AccessibleMachine } from './double-state.js';
import { apiStateName } from './machine-state.js';

/** Where a settings change sits in VBoxManage's source (for the Context line). */
export interface SettingSite {
  context: string;
  file: string;
  line: number;
}

/**
 * Takes a machine, whether a saved state is acceptable (`MutableOrSavedStateDep`) and the call site; throws
 * `The machine is not mutable (state is %s)` (VBOX_E_INVALID_VM_STATE) unless the machine is powered off,
 * aborted or teleported (or saved, when allowed).
 */
export function requireMutable(machine: AccessibleMachine, savedOk: boolean, site: SettingSite): void {
  const state = machine.runtime.state;
  const mutable = ['poweroff', 'aborted', 'teleported'].includes(state);
  const saved = ['saved', 'aborted-saved'].includes(state);
  if (mutable || (savedOk && saved)) return;
  throw comError(`The machine is not mutable${savedOk ? ' or saved' : ''} (state is ${apiStateName(state)})`, {
    hresult: 'VBOX_E_INVALID_VM_STATE',
    component: 'SessionMachine',
    iface: 'IMachine',
    ...site,
  });
}
