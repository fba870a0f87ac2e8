import { comError, plainError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import { consoleError } from './console-error.js';
import { type AccessibleMachine, type DoubleState, FIND_MACHINE_ARGV0 } from './double-state.js';
import { machineExtraData } from './extra-data.js';
import { apiStateName, longStateName, stateCode, VM_PROCESS_STATES } from './machine-state.js';
import { operationHold, waitOperationHold } from './operation-delay.js';
import { ArgProblem } from './parse-args.js';
import { pauseGuest, resumeGuest } from './pause-guest.js';
import { endVmProcess } from './power-off-machine.js';
import { PROGRESS_DONE } from './progress.js';
import { writeSavedStateFile } from './saved-state-file.js';
import { withState } from './with-state.js';
import { updateWriterControl } from './writer-control.js';

const FILE = 'VBoxManageControlVM.cpp';

/**
 * `controlvm <vm> pause|resume|poweroff|savestate|acpipowerbutton` with the Console state rules of
 * reference §1.7. A VM without a VM process gets `Machine '<arg>' is not currently running.` (no period
 * in 6.1), one line, exit 1.
 */
export const handleControlVm: CommandHandler = async (ctx, args) => {
  const [vm, command] = args;
  if (vm === undefined || command === undefined) throw new ArgProblem('Not enough parameters');
  let next: 'savestate' | undefined;
  const code = await withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 358));
    if (!VM_PROCESS_STATES.has(machine.runtime.state))
      throw plainError(`Machine '${vm}' is not currently running${ctx.dialect.v7 ? '.' : ''}`);
    switch (command) {
      case 'pause':
        return pause(state, machine);
      case 'resume':
        return resume(state, machine);
      case 'poweroff':
        return powerOff(ctx, state, machine);
      case 'acpipowerbutton':
        return powerButton(state, machine);
      case 'savestate':
        await beginSaveState(state, machine);
        next = 'savestate';
        return 0;
      default:
        throw new ArgProblem(`Invalid parameter '${command}'`);
    }
  });
  if (next === 'savestate') return finishSaveState(ctx, vm);
  return code;
};

async function pause(state: DoubleState, machine: AccessibleMachine): Promise<number> {
  const s = machine.runtime.state;
  if (s === 'paused' || s === 'teleportingpausedvm' || s === 'onlinesnapshotting')
    throw consoleError('Already paused', 'Pause()', 393);
  if (s !== 'running' && s !== 'teleporting' && s !== 'livesnapshotting')
    throw consoleError(`Invalid machine state: ${apiStateName(s)}`, 'Pause()', 393);
  await pauseGuest(machine);
  state.setState(machine, s === 'livesnapshotting' ? 'onlinesnapshotting' : 'paused');
  await state.saveMachine(machine);
  return 0;
}

async function resume(state: DoubleState, machine: AccessibleMachine): Promise<number> {
  const s = machine.runtime.state;
  if (s !== 'paused')
    throw consoleError(
      `Cannot resume the machine as it is not paused (machine state: ${apiStateName(s)})`,
      'Resume()',
      398,
    );
  await resumeGuest(machine);
  state.setState(machine, 'running');
  await state.saveMachine(machine);
  return 0;
}

const POWER_DOWN_REFUSALS: Record<string, string> = {
  saving: 'Cannot power down at this point during a save state',
  teleporting: 'Cannot power down at this point in a teleportation',
  teleportingpausedvm: 'Cannot power down at this point in a teleportation',
  onlinesnapshotting: 'Cannot power down at this point in an online snapshot',
  livesnapshotting: 'Cannot power down at this point in a live snapshot',
  stopping: 'The virtual machine is being powered down',
};

async function powerOff(ctx: CommandContext, state: DoubleState, machine: AccessibleMachine): Promise<number> {
  const s = machine.runtime.state;
  const context = 'PowerDown(progress.asOutParam())';
  const refusal = POWER_DOWN_REFUSALS[s];
  if (refusal !== undefined) throw consoleError(refusal, context, 578);
  if (s !== 'running' && s !== 'paused' && s !== 'gurumeditation')
    throw consoleError(`Invalid machine state: ${apiStateName(s)} (must be Running, Paused or Stuck)`, context, 578);
  await endVmProcess(state, machine, 'poweroff');
  await state.saveMachine(machine);
  ctx.io.err(PROGRESS_DONE);
  return 0;
}

async function powerButton(state: DoubleState, machine: AccessibleMachine): Promise<number> {
  const s = machine.runtime.state;
  if (s !== 'running' && s !== 'teleporting' && s !== 'livesnapshotting')
    throw consoleError(`Invalid machine state: ${apiStateName(s)}`, 'PowerButton()', 633);
  if (machineExtraData(machine.config, 'vrs-double/acpi') === 'ignore') return 0;
  machine.runtime.acpiRequested = true;
  await updateWriterControl(machine.runtimeDir, (c) => {
    c.shutdown = true;
  });
  await state.saveRuntime(machine);
  return 0;
}

async function beginSaveState(state: DoubleState, machine: AccessibleMachine): Promise<void> {
  const s = machine.runtime.state;
  let pausedHere = false;
  if (s === 'running' || s === 'teleporting' || s === 'livesnapshotting') {
    await pauseGuest(machine);
    state.setState(machine, s === 'livesnapshotting' ? 'onlinesnapshotting' : 'paused');
    pausedHere = true;
  } else if (s !== 'paused') {
    throw plainError(`Machine in invalid state ${stateCode(s)} -- ${longStateName(s)}.`);
  }
  const site = {
    component: 'SessionMachine',
    iface: 'IMachine',
    context: 'SaveState(progress.asOutParam())',
    file: FILE,
    line: 609,
  };
  const now = machine.runtime.state;
  let refusal: string | undefined;
  if (now !== 'paused' && now !== 'running')
    refusal = `Cannot save the execution state as the machine is not running or paused (machine state: ${apiStateName(now)})`;
  else if (machineExtraData(machine.config, 'VBoxInternal2/DisableSaveState') === '1')
    refusal = 'Saving the execution state is disabled for this VM';
  if (refusal !== undefined) {
    if (pausedHere && now === 'paused') {
      await resumeGuest(machine);
      state.setState(machine, 'running');
    }
    await state.saveMachine(machine);
    throw comError(refusal, { hresult: 'VBOX_E_INVALID_VM_STATE', ...site });
  }
  state.setState(machine, 'saving');
  machine.runtime.operation = { kind: 'savestate', pid: process.pid, resumeState: 'paused' };
  await state.saveMachine(machine);
}

async function finishSaveState(ctx: CommandContext, vm: string): Promise<number> {
  const hold = await withState(ctx, async (state) =>
    operationHold(state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 358)).config),
  );
  await waitOperationHold(hold);
  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 358));
    if (machine.runtime.state !== 'saving' || machine.runtime.operation?.pid !== process.pid)
      throw plainError('Failed to save machine state: the VM process went away');
    const sav = await writeSavedStateFile(machine.config);
    await endVmProcess(state, machine, 'saved');
    machine.config.stateFile = sav;
    await state.saveMachine(machine);
    ctx.io.err(PROGRESS_DONE);
    return 0;
  });
}
