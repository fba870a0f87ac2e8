import type { VmState } from '@vrs/protocol';
import { controlVm, showVmInfo, VBoxError, type VirtualBox } from '@vrs/virtualbox';
import { agentLogger } from '../agent-logger.js';
import { VmStateError } from './vm-state-error.js';

/** How `powerOffForRestore` waits. */
export interface PowerOffOptions {
  /** How long the guest may take to shut down after the ACPI power button (default 60 s). */
  acpiTimeoutMs?: number;
  /** How often the state is read while waiting (default 250 ms). */
  pollMs?: number;
}

/**
 * How the VM got to be off: it already was (`already-off`), the guest shut down after the ACPI power
 * button (`acpi`), or it was powered off hard (`forced`: the guest ignored the button until the timeout,
 * or could not see it because it was paused or stuck).
 */
export type PowerOffOutcome = 'already-off' | 'acpi' | 'forced';

/** What `powerOffForRestore` did. */
export interface PowerOffReport {
  vm: string;
  outcome: PowerOffOutcome;
  /** The state before, and the state reached (poweroff, or aborted/teleported when it was already so). */
  from: VmState;
  to: VmState;
  /** Time spent waiting for the guest after the power button. */
  waitedMs: number;
}

/** States with nothing running and nothing to lose. */
const OFF = new Set<VmState>(['poweroff', 'aborted', 'teleported']);
/** States whose saved memory a power-off would throw away. */
const SAVED = new Set<VmState>(['saved', 'aborted-saved']);
/** States in which the guest cannot react to the power button, though VirtualBox powers them off. */
const DEAF = new Set<VmState>(['paused', 'gurumeditation']);

type Driver = Pick<VirtualBox, 'run' | 'dialect'>;

/**
 * Takes the driver, a VM (name or UUID) and options; brings the VM to `poweroff` so that a restore can
 * replace its files, and returns how. Running: presses the ACPI power button, polls `showvminfo` until the
 * guest is off or `acpiTimeoutMs` passed, then `controlvm poweroff`. Paused or stuck (guru meditation): a
 * hard power-off at once, because VirtualBox refuses the power button outside Running (reference §1.7) and
 * resuming a guest the user paused only to shut it down would run it on against their wish. Off already:
 * nothing is done. Throws VmStateError VM_RUNNING for a saved VM (powering it off would discard its saved
 * memory: the hint says how to proceed) and INVALID_VM_STATE for a transient state (snapshotting, saving,
 * starting…), and the driver's VBoxError.
 */
export async function powerOffForRestore(
  vbox: Driver,
  vm: string,
  options: PowerOffOptions = {},
): Promise<PowerOffReport> {
  const log = agentLogger('power-off');
  const from = await stateOf(vbox, vm);
  if (OFF.has(from)) return { vm, outcome: 'already-off', from, to: from, waitedMs: 0 };
  refuseUnsafe(vm, from);
  if (DEAF.has(from)) {
    log.info({ vm, state: from }, 'the guest cannot hear the power button: powering off');
    return { vm, outcome: 'forced', from, to: await forcePowerOff(vbox, vm), waitedMs: 0 };
  }
  log.info({ vm }, 'pressing the ACPI power button');
  try {
    await controlVm(vbox.run, vm, 'acpipowerbutton');
  } catch (error) {
    // The VM may have stopped, or been paused, between the state read and the button.
    if (!(error instanceof VBoxError)) throw error;
    const now = await stateOf(vbox, vm);
    if (now === 'running') throw error;
    if (OFF.has(now)) return { vm, outcome: 'already-off', from, to: now, waitedMs: 0 };
    refuseUnsafe(vm, now);
    return { vm, outcome: 'forced', from, to: await forcePowerOff(vbox, vm), waitedMs: 0 };
  }
  const started = Date.now();
  const deadline = started + (options.acpiTimeoutMs ?? 60_000);
  const pollMs = options.pollMs ?? 250;
  let state = await stateOf(vbox, vm);
  while ((state === 'running' || state === 'stopping') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    state = await stateOf(vbox, vm);
  }
  const waitedMs = Date.now() - started;
  if (OFF.has(state)) {
    log.info({ vm, waitedMs }, 'the guest shut down');
    return { vm, outcome: 'acpi', from, to: state, waitedMs };
  }
  refuseUnsafe(vm, state);
  log.warn({ vm, waitedMs, state }, 'the guest did not shut down in time: powering off');
  return { vm, outcome: 'forced', from, to: await forcePowerOff(vbox, vm), waitedMs };
}

async function stateOf(vbox: Driver, vm: string): Promise<VmState> {
  return (await showVmInfo(vbox.run, vm, vbox.dialect)).state;
}

/** Throws for states a power-off must not touch: saved ones (VM_RUNNING) and transient ones. */
function refuseUnsafe(vm: string, state: VmState): void {
  if (SAVED.has(state))
    throw new VmStateError(
      'VM_RUNNING',
      vm,
      state,
      `VM ${vm} is saved (${state}): powering it off for the restore would discard its saved memory`,
      'Start the VM and shut the guest down, or discard the saved state yourself (VBoxManage discardstate VM), then restore again.',
    );
  if (state !== 'running' && !DEAF.has(state) && !OFF.has(state))
    throw new VmStateError('INVALID_VM_STATE', vm, state, `VM ${vm} is ${state}: it cannot be powered off now`);
}

/** `controlvm poweroff`, tolerating a guest that got there first; returns the state reached. */
async function forcePowerOff(vbox: Driver, vm: string): Promise<VmState> {
  try {
    await controlVm(vbox.run, vm, 'poweroff');
  } catch (error) {
    const now = await stateOf(vbox, vm);
    if (OFF.has(now)) return now;
    throw error;
  }
  const now = await stateOf(vbox, vm);
  if (!OFF.has(now)) throw new VmStateError('INVALID_VM_STATE', vm, now, `VM ${vm} is ${now} after controlvm poweroff`);
  return now;
}
