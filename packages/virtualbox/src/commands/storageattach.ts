import type { VBoxRunner } from '../run-vboxmanage.js';

/** An attachment: which slot, what kind, which medium (a path, or `none` to detach). */
export interface StorageAttachOptions {
  storagectl: string;
  port: number;
  device: number;
  type: 'hdd' | 'dvddrive';
  medium: string;
}

/** Takes a VM and options; returns the argv of `storageattach <vm> --storagectl N --port p --device d --type t --medium m`. */
export function makeStorageAttachArgv(vm: string, o: StorageAttachOptions): string[] {
  return [
    'storageattach',
    vm,
    '--storagectl',
    o.storagectl,
    '--port',
    String(o.port),
    '--device',
    String(o.device),
    '--type',
    o.type,
    '--medium',
    o.medium,
  ];
}

/** Takes a runner, a VM and options; attaches (or detaches) the medium. Throws VBoxError. */
export async function storageAttach(run: VBoxRunner, vm: string, o: StorageAttachOptions): Promise<void> {
  await run(makeStorageAttachArgv(vm, o));
}
