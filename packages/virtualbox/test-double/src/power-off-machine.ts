import type { AccessibleMachine, DoubleState } from './double-state.js';
import { killGuestWriter } from './guest-writer-process.js';
import type { MachineStateName } from './machine-state.js';
import { holdWriter } from './writer-control.js';

/**
 * Takes the state, a machine with a VM process and the final state (`poweroff` or `saved`); stops the
 * guest writer at a write boundary, kills it and ends the session. Saves nothing itself.
 */
export async function endVmProcess(
  state: DoubleState,
  machine: AccessibleMachine,
  finalState: MachineStateName,
): Promise<void> {
  const pid = machine.runtime.writerPid;
  if (pid !== undefined) {
    // A power-off is abrupt for the guest; waiting for a write boundary only keeps the image tidy.
    if (!machine.runtime.guestPaused) await holdWriter(machine.runtimeDir, 'stop', pid, 5_000).catch(() => false);
    await killGuestWriter(pid);
  }
  const { stateChangeMs } = machine.runtime;
  machine.runtime = { state: machine.runtime.state, stateChangeMs };
  state.setState(machine, finalState);
}
