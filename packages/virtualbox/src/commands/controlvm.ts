import type { VBoxRunner } from '../run-vboxmanage.js';

/** The `controlvm` actions vrs uses. */
export type ControlAction = 'pause' | 'resume' | 'savestate' | 'poweroff' | 'acpipowerbutton';

/** Takes a VM and an action; returns the argv of `controlvm <vm> <action>`. */
export function makeControlVmArgv(vm: string, action: ControlAction): string[] {
  return ['controlvm', vm, action];
}

/** Takes a runner, a VM and an action; runs it. Throws VBoxError (INVALID_VM_STATE when the state forbids it). */
export async function controlVm(run: VBoxRunner, vm: string, action: ControlAction): Promise<void> {
  await run(makeControlVmArgv(vm, action));
}
