import { join } from 'node:path';
import {
  createMedium,
  createVm,
  setMacAddress,
  storageAttach,
  storageCtl,
  type VBoxRunner,
  VirtualBox,
} from '@vrs/virtualbox';
import { type DoubleHome, makeDoubleHome } from '@vrs/virtualbox/test-double';

/** The VirtualBox double with a driver on it, and every argv the driver ran. */
export interface DoubleBox {
  double: DoubleHome;
  vbox: VirtualBox;
  argv: string[][];
  cleanup(): Promise<void>;
}

/** Makes a fresh double home and connects the real driver to its VBoxManage, recording each argv. */
export async function makeDoubleBox(): Promise<DoubleBox> {
  const double = await makeDoubleHome();
  // The driver's runner passes process.env on to VBoxManage; the double finds its home there.
  process.env.VRS_VBOX_DOUBLE_HOME = double.home;
  const argv: string[][] = [];
  const real = (await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') })).run;
  const runner: VBoxRunner = (args, options) => {
    argv.push([...args]);
    return real(args, options);
  };
  const vbox = await VirtualBox.connect({ runner });
  return { double, vbox, argv, cleanup: () => double.cleanup() };
}

/** A VM built with real VBoxManage syntax: its UUID, `.vbox` and disk files. */
export interface BuiltVm {
  uuid: string;
  settingsFile: string;
  disks: string[];
}

/**
 * Takes the driver, a name, the folder to create the VM in, the number of 16 MiB disks and MAC addresses
 * for NICs 1..n; builds the VM with createvm, storagectl, createmedium, storageattach and modifyvm.
 */
export async function buildVm(
  vbox: VirtualBox,
  o: { name: string; basefolder: string; disks: number; macs?: string[] },
): Promise<BuiltVm> {
  const { uuid, settingsFile } = await createVm(vbox.run, {
    name: o.name,
    ostype: 'Ubuntu_64',
    basefolder: o.basefolder,
  });
  await storageCtl(vbox.run, uuid, {
    name: 'SATA',
    add: 'sata',
    controller: 'IntelAhci',
    portcount: Math.max(1, o.disks),
  });
  const disks: string[] = [];
  for (let i = 0; i < o.disks; i++) {
    const file = join(settingsFile, '..', `disk${i}.vdi`);
    await createMedium(vbox.run, { filename: file, sizeMiB: 16, format: 'VDI' });
    await storageAttach(vbox.run, uuid, { storagectl: 'SATA', port: i, device: 0, type: 'hdd', medium: file });
    disks.push(file);
  }
  for (const [i, mac] of (o.macs ?? []).entries()) await setMacAddress(vbox.run, uuid, i + 1, mac);
  return { uuid, settingsFile, disks };
}
