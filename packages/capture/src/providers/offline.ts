import { detectGrid } from '@vrs/block-engine';
import type { VirtualBox, VmInfo } from '@vrs/virtualbox';
import { showVmInfo } from '@vrs/virtualbox';
import { CaptureError } from '../capture-error.js';
import type { Capture } from '../capture-types.js';
import { vmFiles } from '../vm-files.js';

/** VM states in which no process writes the VM's files. */
export const OFFLINE_STATES = new Set(['poweroff', 'saved', 'aborted', 'aborted-saved', 'teleported']);

async function modifyUuids(info: VmInfo): Promise<string[]> {
  const uuids: string[] = [];
  for (const disk of info.disks) {
    const layout = await detectGrid(disk.path).catch(() => null);
    uuids.push(layout?.vdi?.uuidModify ?? '');
  }
  return uuids;
}

/**
 * Takes the driver and a VM that is powered off, saved or aborted; returns a capture that reads its files
 * in place. `verify()` answers false when the VM started meanwhile: its state left the offline set, or a
 * leaf VDI got a new modify UUID (VirtualBox gives one on the first write after opening). Throws
 * CaptureError for a VM that is not offline.
 */
export async function captureOffline(vbox: VirtualBox, info: VmInfo): Promise<Capture> {
  if (!OFFLINE_STATES.has(info.state))
    throw new CaptureError('checking the VM state', `the VM is ${info.state}, not powered off, saved or aborted`);
  const before = await modifyUuids(info);
  return {
    method: 'offline',
    vm: info,
    files: await vmFiles(info),
    consistency: info.stateFile ? 'full' : 'crash',
    pausedMs: 0,
    frozenMs: 0,
    verify: async () => {
      const now = await showVmInfo(vbox.run, info.uuid, vbox.dialect);
      return (
        OFFLINE_STATES.has(now.state) &&
        now.stateChangeTime === info.stateChangeTime &&
        (await modifyUuids(info)).join() === before.join()
      );
    },
    release: async () => {},
  };
}
