import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes a `.vbox` path; returns the argv of `registervm <path>`. */
export function makeRegisterVmArgv(vboxFile: string): string[] {
  return ['registervm', vboxFile];
}

/** Takes a VM and whether to delete its files; returns the argv of `unregistervm <vm> [--delete]`. */
export function makeUnregisterVmArgv(vm: string, options: { delete?: boolean } = {}): string[] {
  return ['unregistervm', vm, ...(options.delete ? ['--delete'] : [])];
}

/** Takes a runner and a `.vbox` path; registers the VM. Throws VBoxError. */
export async function registerVm(run: VBoxRunner, vboxFile: string): Promise<void> {
  await run(makeRegisterVmArgv(vboxFile));
}

/** Takes a runner and a VM; unregisters it (files kept unless `delete`). Throws VBoxError (VM_LOCKED while running). */
export async function unregisterVm(run: VBoxRunner, vm: string, options: { delete?: boolean } = {}): Promise<void> {
  await run(makeUnregisterVmArgv(vm, options));
}
