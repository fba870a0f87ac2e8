import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes a VM, a NIC number (1-based) and a MAC (12 hex digits) or `auto`; returns the argv of `modifyvm --macaddress<n>`. */
export function makeSetMacArgv(vm: string, nic: number, mac: string): string[] {
  return ['modifyvm', vm, `--macaddress${nic}`, mac];
}

/** Takes a VM and a new name; returns the argv of `modifyvm <vm> --name <name>`. */
export function makeRenameVmArgv(vm: string, name: string): string[] {
  return ['modifyvm', vm, '--name', name];
}

/** Takes a runner, a VM, a NIC and a MAC; sets it (VM powered off). Throws VBoxError. */
export async function setMacAddress(run: VBoxRunner, vm: string, nic: number, mac: string): Promise<void> {
  await run(makeSetMacArgv(vm, nic, mac));
}

/** Takes a runner, a VM and a name; renames the VM (powered off). Throws VBoxError. */
export async function renameVm(run: VBoxRunner, vm: string, name: string): Promise<void> {
  await run(makeRenameVmArgv(vm, name));
}
