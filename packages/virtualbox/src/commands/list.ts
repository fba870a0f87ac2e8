import { parseVmList, type VmListEntry } from '../parse/parse-vm-list.js';
import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes which list; returns the argv of `VBoxManage list vms|runningvms`. */
export function makeListArgv(which: 'vms' | 'runningvms'): string[] {
  return ['list', which];
}

/**
 * Takes a runner and which list; returns the VMs. Note that `runningvms` omits VMs in OnlineSnapshotting or
 * DeletingSnapshotOnline (reference §1.1): use showvminfo for a VM's state.
 */
export async function listVms(run: VBoxRunner, which: 'vms' | 'runningvms' = 'vms'): Promise<VmListEntry[]> {
  return parseVmList((await run(makeListArgv(which), { retry: true })).stdout);
}
