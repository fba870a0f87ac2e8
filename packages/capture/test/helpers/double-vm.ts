import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMedium, createVm, setExtraData, startVm, storageAttach, storageCtl, VirtualBox } from '@vrs/virtualbox';
import {
  checkConsistentCut,
  type DoubleHome,
  makeDoubleHome,
  openChainReader,
  readWriterLog,
} from '@vrs/virtualbox/test-double';
import type { Capture } from '../../src/index.js';
import { createSubvolume } from './btrfs.js';

/** A VM on the VirtualBox double, built with the real VBoxManage syntax, its guest writer configured. */
export interface DoubleVm {
  double: DoubleHome;
  vbox: VirtualBox;
  vm: string;
  cleanup(): Promise<void>;
}

/** The VM's name; its folder is `<folder>/<VM_NAME>`. */
export const VM_NAME = 'Fedora 41';

/** The blocks the guest writer rewrites in these tests. */
export const WRITER_BLOCKS = Array.from({ length: 16 }, (_, i) => i);

/**
 * Takes the VM folder's parent (e.g. a btrfs mount), the number of disks, whether to start it, the writer's
 * rate (0 = flat out) and whether the VM folder is to be its own btrfs subvolume (made before `createvm`);
 * returns the VM with a guest writer over blocks 0-15 of each disk.
 */
export async function makeDoubleVm(o: {
  folder: string;
  disks: number;
  start: boolean;
  rate?: number;
  subvolume?: boolean;
}): Promise<DoubleVm> {
  if (o.subvolume) {
    await mkdir(o.folder, { recursive: true });
    createSubvolume(join(o.folder, VM_NAME));
  }
  const double = await makeDoubleHome();
  process.env.VRS_VBOX_DOUBLE_HOME = double.home;
  const vbox = await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') });
  const { uuid: vm, settingsFile } = await createVm(vbox.run, {
    name: VM_NAME,
    ostype: 'Fedora_64',
    basefolder: o.folder,
  });
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: o.disks });
  for (let i = 0; i < o.disks; i++) {
    const file = join(settingsFile, '..', `disk${i}.vdi`);
    await createMedium(vbox.run, { filename: file, sizeMiB: 32, format: 'VDI' });
    await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: i, device: 0, type: 'hdd', medium: file });
  }
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', `rate=${o.rate ?? 0},seed=7,blocks=0-15`);
  if (o.start) await startVm(vbox.run, vm);
  return { double, vbox, vm, cleanup: () => double.cleanup() };
}

/**
 * Takes a capture and the double's home; returns the verdict of the guest writer's checker: do the captured
 * disks (read through their captured chains) hold a consistent cut of the writes?
 */
export async function verdictOf(capture: Capture, home: string) {
  const readers = new Map<string, Awaited<ReturnType<typeof openChainReader>>>();
  for (const disk of capture.vm.disks) {
    const chain = (disk.chain ?? []).map(
      (image) => capture.files.find((f) => f.mediumUuid === image.uuid)?.readPath as string,
    );
    readers.set(disk.chain?.[0]?.uuid as string, await openChainReader([...chain].reverse()));
  }
  try {
    const log = await readWriterLog(home, capture.vm.uuid);
    const disks = [...readers.keys()].map((uuid) => ({ uuid, blocks: WRITER_BLOCKS }));
    return {
      verdict: await checkConsistentCut(
        (disk, block) => (readers.get(disk) as { read(b: number): Promise<Buffer | null> }).read(block),
        log,
        disks,
      ),
      writes: log.length,
    };
  } finally {
    for (const reader of readers.values()) await reader.close();
  }
}
