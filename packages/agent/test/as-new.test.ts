import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseVdiHeader, VDI_HEADER_READ_LENGTH, VdiFile } from '@vrs/block-engine';
import {
  controlVm,
  listSnapshots,
  listVms,
  parseMachineReadable,
  showMediumInfo,
  showVmInfo,
  startVm,
  takeSnapshot,
} from '@vrs/virtualbox';
import { readVirtualBlock } from '@vrs/virtualbox/test-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreAsNew } from '../src/restore/as-new.js';
import { block } from './helpers.js';
import { buildVm, type DoubleBox, makeDoubleBox } from './support/double-vm.js';
import { makeTempDir } from './support/temp-dir.js';

let box: DoubleBox;
const root = makeTempDir('as-new');
beforeAll(async () => {
  box = await makeDoubleBox();
});
afterAll(() => box.cleanup());

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** sha256 of every file under a folder, by relative path: what "untouched" means. */
function fingerprint(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(folder, path)] = digest(readFileSync(path));
  }
  return out;
}

/** Copies a VM folder the way a restore writes one: the `.vbox`, images and NVRAM, no `-prev`. */
function restoreFolder(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.vbox-prev') });
}

async function writeBlocks(path: string, blocks: Record<number, number>): Promise<void> {
  const image = await VdiFile.open(path, 'write');
  for (const [b, label] of Object.entries(blocks)) await image.writeBlock(Number(b), block(label));
  await image.close();
}

function vdiHeader(path: string) {
  const head = readFileSync(path).subarray(0, VDI_HEADER_READ_LENGTH);
  return parseVdiHeader(head, path, statSync(path).size);
}

const info = (vm: string) => showVmInfo(box.vbox.run, vm, box.vbox.dialect);
const machineReadable = async (vm: string) =>
  parseMachineReadable((await box.vbox.run(['showvminfo', vm, '--machinereadable'])).stdout, box.vbox.dialect);

// Many VBoxManage runs of the double (a node process each): generous on a loaded machine; no timing is asserted.
describe('restoring as a new VM', { timeout: 240_000 }, () => {
  it('registers a second VM with new UUIDs and MACs, its disks at the new paths, and leaves the original as it was', async () => {
    const original = await buildVm(box.vbox, {
      name: 'web',
      basefolder: join(root, 'vms'),
      disks: 2,
      macs: ['080027000001', '080027000002'],
    });
    await writeBlocks(original.disks[0] as string, { 0: 1, 3: 2 });
    await writeBlocks(original.disks[1] as string, { 1: 3 });
    const originalFolder = join(original.settingsFile, '..');
    const newFolder = join(root, 'restored', 'web-restored');
    restoreFolder(originalFolder, newFolder);
    const untouched = fingerprint(originalFolder);
    const before = await machineReadable(original.uuid);

    const report = await restoreAsNew(box.vbox, {
      vboxFile: join(newFolder, basename(original.settingsFile)),
      name: 'web (restored)',
    });

    expect(report.alreadyRegistered).toBe(false);
    expect(report.parentLinks).toBe('vdi-header');
    const vms = await listVms(box.vbox.run);
    expect(vms).toEqual(
      expect.arrayContaining([
        { name: 'web', uuid: original.uuid },
        { name: 'web (restored)', uuid: report.uuid },
      ]),
    );
    expect(report.uuid).not.toBe(original.uuid);

    const copy = await info(report.uuid);
    expect(copy.configFile).toBe(join(newFolder, 'web.vbox'));
    expect(copy.disks.map((d) => d.path)).toEqual([join(newFolder, 'disk0.vdi'), join(newFolder, 'disk1.vdi')]);
    const originalInfo = await info(original.uuid);
    for (const [i, disk] of copy.disks.entries()) {
      expect(disk.mediumUuid).not.toBe(originalInfo.disks[i]?.mediumUuid);
      expect(vdiHeader(disk.path).uuidCreate).toBe(disk.mediumUuid);
      expect((await showMediumInfo(box.vbox.run, disk.mediumUuid)).location).toBe(disk.path);
    }
    expect(report.media.map((m) => m.uuid).sort()).toEqual(copy.disks.map((d) => d.mediumUuid).sort());
    // The disks hold what the original's hold: only the header's identity changed.
    expect(digest(await readVirtualBlock([join(newFolder, 'disk0.vdi')], 3))).toBe(digest(block(2)));

    // NIC 1 is enabled (showvminfo prints its MAC); NIC 2 only has a MAC, which the .vbox holds.
    const mac1 = (await machineReadable(report.uuid)).get('macaddress1');
    const inFile = [...readFileSync(copy.configFile, 'utf8').matchAll(/MACAddress="([0-9A-F]{12})"/g)].map((m) => m[1]);
    expect(inFile).toHaveLength(2);
    expect(inFile[0]).toBe(mac1);
    for (const mac of inFile) {
      expect(mac).toMatch(/^080027[0-9A-F]{6}$/);
      expect(['080027000001', '080027000002']).not.toContain(mac);
    }
    expect(report.macs).toEqual([
      { previous: '080027000001', mac: inFile[0] },
      { previous: '080027000002', mac: inFile[1] },
    ]);

    // The new VM runs; the original's files were not touched, by the restore nor by the new VM's guest.
    await startVm(box.vbox.run, report.uuid);
    expect((await info(report.uuid)).state).toBe('running');
    const disks = Object.keys(untouched).filter((f) => f.endsWith('.vdi'));
    expect(disks).toHaveLength(2);
    const later = fingerprint(originalFolder);
    for (const f of disks) expect(later[f]).toBe(untouched[f]);
    const now = await machineReadable(original.uuid);
    for (const key of ['UUID', 'name', 'CfgFile', 'macaddress1', 'SATA-0-0', 'SATA-ImageUUID-0-0', 'SATA-1-0'])
      expect(now.get(key)).toBe(before.get(key));
    // Both run at once: no medium of one is the other's.
    await startVm(box.vbox.run, original.uuid);
    await controlVm(box.vbox.run, report.uuid, 'poweroff');
    await controlVm(box.vbox.run, original.uuid, 'poweroff');
    expect((await info(report.uuid)).state).toBe('poweroff');
    expect((await info(original.uuid)).state).toBe('poweroff');
  });

  it('a second call on the registered folder reports it and changes nothing', async () => {
    const original = await buildVm(box.vbox, { name: 'twice', basefolder: join(root, 'vms'), disks: 1 });
    const newFolder = join(root, 'restored', 'twice');
    restoreFolder(join(original.settingsFile, '..'), newFolder);
    const first = await restoreAsNew(box.vbox, { vboxFile: join(newFolder, 'twice.vbox'), name: 'twice-2' });
    const files = fingerprint(newFolder);
    const second = await restoreAsNew(box.vbox, { vboxFile: join(newFolder, 'twice.vbox'), name: 'twice-2' });
    expect(second).toMatchObject({ alreadyRegistered: true, uuid: first.uuid, media: [] });
    expect(fingerprint(newFolder)).toEqual(files);
  });

  it('a VM with native snapshots: the whole differencing chain is re-linked, and the new VM runs on it', async () => {
    const original = await buildVm(box.vbox, {
      name: 'db',
      basefolder: join(root, 'vms'),
      disks: 1,
      macs: ['0800270000AA'],
    });
    await writeBlocks(original.disks[0] as string, { 0: 10, 1: 11 });
    await takeSnapshot(box.vbox.run, original.uuid, 'first');
    await writeBlocks((await info(original.uuid)).disks[0]?.path as string, { 1: 21, 2: 22 });
    await takeSnapshot(box.vbox.run, original.uuid, 'second');
    await writeBlocks((await info(original.uuid)).disks[0]?.path as string, { 2: 32 });
    const chain = (await box.vbox.inspect(original.uuid)).disks[0]?.chain ?? [];
    expect(chain).toHaveLength(3);
    const originalFolder = join(original.settingsFile, '..');
    const newFolder = join(root, 'restored', 'db-restored');
    restoreFolder(originalFolder, newFolder);
    const untouched = fingerprint(originalFolder);

    const report = await restoreAsNew(box.vbox, { vboxFile: join(newFolder, 'db.vbox'), name: 'db-restored' });

    const copy = await box.vbox.inspect(report.uuid);
    const newChain = copy.disks[0]?.chain ?? [];
    expect(newChain.map((c) => c.path)).toEqual(chain.map((c) => join(newFolder, relative(originalFolder, c.path))));
    for (const [i, image] of newChain.entries()) {
      expect(image.uuid).not.toBe(chain[i]?.uuid);
      const header = vdiHeader(image.path);
      expect(header.uuidCreate).toBe(image.uuid);
      if (i > 0) expect(header.uuidLinkage).toBe(newChain[i - 1]?.uuid);
    }
    expect(report.media.filter((m) => m.parentUuid !== null)).toHaveLength(2);
    // Every virtual block reads the same through the new chain as through the original one.
    const leafFirst = (c: typeof chain) => [...c].reverse().map((i) => i.path);
    for (const b of [0, 1, 2, 3])
      expect(digest(await readVirtualBlock(leafFirst(newChain), b))).toBe(
        digest(await readVirtualBlock(leafFirst(chain), b)),
      );

    const snapshots = await listSnapshots(box.vbox.run, report.uuid, box.vbox.dialect);
    const originals = await listSnapshots(box.vbox.run, original.uuid, box.vbox.dialect);
    expect(snapshots.snapshots.map((s) => s.name)).toEqual(['first']);
    expect(snapshots.snapshots[0]?.children.map((s) => s.name)).toEqual(['second']);
    expect(snapshots.snapshots[0]?.uuid).not.toBe(originals.snapshots[0]?.uuid);
    expect(snapshots.current).toBe(snapshots.snapshots[0]?.children[0]?.uuid);

    await startVm(box.vbox.run, report.uuid);
    expect((await info(report.uuid)).state).toBe('running');
    await controlVm(box.vbox.run, report.uuid, 'poweroff');
    expect((await info(report.uuid)).state).toBe('poweroff');
    const later = fingerprint(originalFolder);
    for (const f of Object.keys(untouched).filter((f) => f.endsWith('.vdi'))) expect(later[f]).toBe(untouched[f]);
    expect(Object.keys(untouched).filter((f) => f.endsWith('.vdi'))).toHaveLength(3);
  });

  it('refuses a .vbox whose disk was not restored into the new folder, before changing anything', async () => {
    const original = await buildVm(box.vbox, { name: 'partial', basefolder: join(root, 'vms'), disks: 2 });
    const newFolder = join(root, 'restored', 'partial');
    cpSync(join(original.settingsFile, '..'), newFolder, {
      recursive: true,
      filter: (src) => !src.endsWith('disk1.vdi'),
    });
    const files = fingerprint(newFolder);
    const error = await restoreAsNew(box.vbox, { vboxFile: join(newFolder, 'partial.vbox'), name: 'p2' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', path: join(newFolder, 'disk1.vdi') });
    expect(fingerprint(newFolder)).toEqual(files);
    expect((await listVms(box.vbox.run)).map((v) => v.name)).not.toContain('p2');
  });
});
