import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlVm,
  createMedium,
  createVm,
  crossCheckVmInfo,
  deleteSnapshot,
  getExtraData,
  listSnapshots,
  listVms,
  readVboxFile,
  setExtraData,
  showVmInfo,
  startVm,
  storageAttach,
  storageCtl,
  takeSnapshot,
  VirtualBox,
} from '../src/index.js';

// Integration: the driver against the VirtualBox test double, a real process over real files. Nothing mocked.
const BIN = new URL('../test-double/bin/VBoxManage', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'vrs-driver-'));
const saved = { home: process.env.VRS_VBOX_DOUBLE_HOME, version: process.env.VRS_VBOX_DOUBLE_VERSION };
let vbox: VirtualBox;
let vm: string;

beforeAll(async () => {
  process.env.VRS_VBOX_DOUBLE_HOME = home;
  delete process.env.VRS_VBOX_DOUBLE_VERSION;
  vbox = await VirtualBox.connect({ binary: BIN });
  // Built with the real VBoxManage syntax, through the driver's own modules.
  const disk = join(home, 'disks', 'fedora.vdi');
  await createMedium(vbox.run, { filename: disk, sizeMiB: 32, format: 'VDI' });
  vm = (await createVm(vbox.run, { name: 'Fedora 41', ostype: 'Fedora_64', basefolder: join(home, 'VMs') })).uuid;
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: 1 });
  await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: 0, device: 0, type: 'hdd', medium: disk });
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', 'rate=50,seed=3,blocks=0-15');
});
afterAll(async () => {
  await controlVm(vbox.run, vm, 'poweroff').catch(() => undefined);
  process.env.VRS_VBOX_DOUBLE_HOME = saved.home;
  if (saved.version) process.env.VRS_VBOX_DOUBLE_VERSION = saved.version;
  rmSync(home, { recursive: true, force: true });
});

describe('the driver against the double', () => {
  it('sees the VM, its disk chain and its .vbox agree', async () => {
    expect(vbox.dialect).toBe('7.0');
    expect((await listVms(vbox.run)).map((v) => v.uuid)).toContain(vm);
    const info = await vbox.inspect(vm);
    expect(info).toMatchObject({ name: 'Fedora 41', state: 'poweroff' });
    expect(info.disks).toHaveLength(1);
    expect(info.disks[0]?.chain).toHaveLength(1);
    expect(info.disks[0]?.format).toBe('VDI');
    expect(crossCheckVmInfo(info, await readVboxFile(info.configFile))).toEqual([]);
  });

  it('runs, pauses, snapshots live, merges and powers off with the states VirtualBox reports', async () => {
    await startVm(vbox.run, vm);
    expect((await listVms(vbox.run, 'runningvms')).map((v) => v.uuid)).toContain(vm);
    await controlVm(vbox.run, vm, 'pause');
    expect((await showVmInfo(vbox.run, vm, vbox.dialect)).state).toBe('paused');
    await controlVm(vbox.run, vm, 'resume');
    const snapshot = await takeSnapshot(vbox.run, vm, 'vrs-transient-test', { live: true });
    const during = await vbox.inspect(vm);
    expect(during.disks[0]?.chain).toHaveLength(2);
    expect(during.currentSnapshotUuid).toBe(snapshot);
    expect(crossCheckVmInfo(during, await readVboxFile(during.configFile))).toEqual([]);
    expect((await listSnapshots(vbox.run, vm, vbox.dialect)).snapshots.map((s) => s.uuid)).toEqual([snapshot]);
    await deleteSnapshot(vbox.run, vm, snapshot);
    const after = await vbox.inspect(vm);
    expect(after.disks[0]?.chain).toHaveLength(1);
    expect(await listSnapshots(vbox.run, vm, vbox.dialect)).toEqual({ snapshots: [], current: null });
    await controlVm(vbox.run, vm, 'poweroff');
    expect((await showVmInfo(vbox.run, vm, vbox.dialect)).state).toBe('poweroff');
  });

  it('maps VirtualBox errors to domain codes, keeping its words', async () => {
    await expect(showVmInfo(vbox.run, 'No Such VM', vbox.dialect)).rejects.toMatchObject({ code: 'VM_NOT_FOUND' });
    await expect(controlVm(vbox.run, vm, 'pause')).rejects.toMatchObject({ code: 'INVALID_VM_STATE' });
    await expect(deleteSnapshot(vbox.run, vm, 'nope')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await startVm(vbox.run, vm);
    await expect(startVm(vbox.run, vm)).rejects.toMatchObject({ code: 'VM_LOCKED' });
    await controlVm(vbox.run, vm, 'poweroff');
    expect(await getExtraData(vbox.run, vm, 'vrs/restore')).toBeNull();
  });

  it('reads the 6.1 dialect too', async () => {
    process.env.VRS_VBOX_DOUBLE_VERSION = '6.1.50';
    try {
      const old = await VirtualBox.connect({ binary: BIN });
      expect(old.dialect).toBe('6.1');
      const info = await old.inspect(vm);
      expect(info.disks[0]?.chain).toHaveLength(1);
      expect(crossCheckVmInfo(info, await readVboxFile(info.configFile))).toEqual([]);
    } finally {
      delete process.env.VRS_VBOX_DOUBLE_VERSION;
    }
  });
});
