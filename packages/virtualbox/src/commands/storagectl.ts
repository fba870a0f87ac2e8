import type { VBoxRunner } from '../run-vboxmanage.js';

/** A storage controller to add. */
export interface StorageCtlOptions {
  name: string;
  add: 'ide' | 'sata' | 'scsi' | 'sas' | 'usb' | 'pcie' | 'virtio';
  controller?: string;
  portcount?: number;
}

/** Takes a VM and options; returns the argv of `storagectl <vm> --name N --add T [--controller C] [--portcount n]`. */
export function makeStorageCtlArgv(vm: string, o: StorageCtlOptions): string[] {
  return [
    'storagectl',
    vm,
    '--name',
    o.name,
    '--add',
    o.add,
    ...(o.controller ? ['--controller', o.controller] : []),
    ...(o.portcount !== undefined ? ['--portcount', String(o.portcount)] : []),
  ];
}

/** Takes a runner, a VM and options; adds the controller. Throws VBoxError. */
export async function storageCtl(run: VBoxRunner, vm: string, o: StorageCtlOptions): Promise<void> {
  await run(makeStorageCtlArgv(vm, o));
}
