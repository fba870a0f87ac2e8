import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes a VM and a front end; returns the argv of `startvm <vm> --type <type>`. */
export function makeStartVmArgv(vm: string, type: 'headless' | 'gui' | 'separate' = 'headless'): string[] {
  return ['startvm', vm, '--type', type];
}

/** Takes a runner, a VM and a front end; starts the VM. Throws VBoxError (VM_LOCKED when it runs). */
export async function startVm(
  run: VBoxRunner,
  vm: string,
  type: 'headless' | 'gui' | 'separate' = 'headless',
): Promise<void> {
  await run(makeStartVmArgv(vm, type));
}
