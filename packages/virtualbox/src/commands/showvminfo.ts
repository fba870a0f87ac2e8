import type { VmInfo } from '../model/vm-info.js';
import { type Dialect, parseMachineReadable } from '../parse/parse-machine-readable.js';
import { parseVmInfo } from '../parse/parse-vm-info.js';
import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes a VM name or UUID; returns the argv of `showvminfo <vm> --machinereadable`. */
export function makeShowVmInfoArgv(vm: string): string[] {
  return ['showvminfo', vm, '--machinereadable'];
}

/** Takes a runner, a VM and the dialect; returns its VmInfo (without disk chains). Throws VBoxError. */
export async function showVmInfo(run: VBoxRunner, vm: string, dialect: Dialect): Promise<VmInfo> {
  return parseVmInfo(parseMachineReadable((await run(makeShowVmInfoArgv(vm), { retry: true })).stdout, dialect));
}
