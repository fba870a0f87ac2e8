import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectGrid } from '@vrs/block-engine';
import { describe, expect, it } from 'vitest';
import type { DoubleHome } from '../src/make-double-home.js';
import { parseVboxXml } from '../src/parse-vbox-xml.js';
import { readWriterLog } from '../src/writer-log.js';
import { doubleHome, makeVm, ok, pause, vmInfo } from './helpers/double.js';
import { chainVerdict, sha256, vdiHeader } from './helpers/images.js';

// reference/virtualbox.md §1.5, §1.6, §3.4, §5.1: what snapshot take and delete do to the files.
const vbox = (h: DoubleHome, vm: string) => {
  const file = join(h.home, 'VirtualBox VMs', vm, `${vm}.vbox`);
  return parseVboxXml(readFileSync(file, 'utf8'), file);
};

async function waitForWrites(h: DoubleHome, vm: string, atLeast: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await readWriterLog(h.home, vm)).length < atLeast) {
    if (Date.now() > deadline) throw new Error(`fewer than ${atLeast} guest writes`);
    await pause(50);
  }
}

function qemuCheck(path: string): string {
  return execFileSync('qemu-img', ['check', path], { encoding: 'utf8' });
}

describe.concurrent('snapshot file effects', () => {
  it('keeps the base byte-identical while a live snapshot exists and the guest writes; delete merges every write back', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'base', { writer: 'rate=40,seed=3,blocks=0-15' });
    await ok(h, 'startvm', 'base', '--type', 'headless');
    await waitForWrites(h, 'base', 10);
    const taken = await h.run(['snapshot', 'base', 'take', 'backup', '--live']);
    expect(taken.exitCode).toBe(0);
    expect(taken.stdout).toMatch(/^Snapshot taken\. UUID: [0-9a-f-]{36}\n$/);
    expect(taken.stderr).toBe('0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n');
    const atTake = (await readWriterLog(h.home, 'base')).length;
    const frozen = sha256(vm.disk);

    const info = await vmInfo(h, 'base');
    const diff = info.get('SATA-0-0') as string;
    const diffUuid = info.get('SATA-ImageUUID-0-0') as string;
    expect(diff).toBe(join(h.home, 'VirtualBox VMs', 'base', 'Snapshots', `{${diffUuid}}.vdi`));
    const [baseHeader, diffHeader] = [await vdiHeader(vm.disk), await vdiHeader(diff)];
    expect(diffHeader).toMatchObject({
      type: 'diff',
      uuidCreate: diffUuid,
      uuidLinkage: baseHeader.uuidCreate,
      uuidParentModify: baseHeader.uuidModify,
      diskSize: baseHeader.diskSize,
    });
    const settings = vbox(h, 'base');
    expect(settings.media[0]?.children.map((c) => c.uuid)).toEqual([diffUuid]);
    expect(settings.snapshot?.hardware.controllers[0]?.attachments[0]?.imageUuid).toBe(vm.diskUuid);
    expect(settings.hardware.controllers[0]?.attachments[0]?.imageUuid).toBe(diffUuid);
    expect(settings.snapshot?.stateFile).toMatch(/\/Snapshots\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{9}Z\.sav$/);
    expect(existsSync(settings.snapshot?.stateFile as string)).toBe(true);

    await waitForWrites(h, 'base', atTake + 15);
    expect(sha256(vm.disk)).toBe(frozen);
    // The frozen base alone is a consistent cut: what the guest had written when the snapshot was taken.
    const log = await readWriterLog(h.home, 'base');
    const frozenCut = await chainVerdict([vm.disk], log, vm.diskUuid, 32);
    expect(frozenCut.consistent).toBe(true);
    expect(frozenCut.cut).toBeLessThanOrEqual(atTake);
    // The active chain is only a consistent cut while the guest is paused (writes stop at a block boundary).
    await ok(h, 'controlvm', 'base', 'pause');
    const pausedLog = await readWriterLog(h.home, 'base');
    expect(await chainVerdict([diff, vm.disk], pausedLog, vm.diskUuid, 32)).toEqual({
      consistent: true,
      cut: pausedLog.at(-1)?.seq,
    });
    await ok(h, 'controlvm', 'base', 'resume');

    const deleted = await h.run(['snapshot', 'base', 'delete', 'backup']);
    expect(deleted.exitCode).toBe(0);
    expect(deleted.stdout).toBe(`Deleting snapshot 'backup' (${settings.snapshot?.uuid})\n`);
    expect(existsSync(diff)).toBe(false);
    expect(existsSync(settings.snapshot?.stateFile as string)).toBe(false);
    const after = vbox(h, 'base');
    expect(after.snapshot).toBeUndefined();
    expect(after.currentSnapshot).toBeUndefined();
    expect(after.media[0]?.children).toEqual([]);
    expect(after.hardware.controllers[0]?.attachments[0]?.imageUuid).toBe(vm.diskUuid);
    const afterDelete = (await readWriterLog(h.home, 'base')).length;
    await waitForWrites(h, 'base', afterDelete + 5);
    await ok(h, 'controlvm', 'base', 'poweroff');

    const final = await readWriterLog(h.home, 'base');
    const verdict = await chainVerdict([vm.disk], final, vm.diskUuid, 32);
    expect(verdict).toEqual({ consistent: true, cut: final.at(-1)?.seq });
    expect(qemuCheck(vm.disk)).toMatch(/No errors were found on the image/);
  });

  it('merges the smaller image into the larger between two differencing images, then the last one into the base', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'two', { writer: 'rate=40,seed=5,blocks=0-15' });
    await ok(h, 'startvm', 'two', '--type', 'headless');
    await waitForWrites(h, 'two', 5);
    await ok(h, 'snapshot', 'two', 'take', 's1', '--live');
    await ok(h, 'controlvm', 'two', 'pause'); // keeps s1's diff (nearly) empty
    const d1 = (await vmInfo(h, 'two')).get('SATA-0-0') as string;
    await ok(h, 'snapshot', 'two', 'take', 's2');
    expect((await vmInfo(h, 'two')).get('VMState')).toBe('paused');
    await ok(h, 'controlvm', 'two', 'resume');
    const d2 = (await vmInfo(h, 'two')).get('SATA-0-0') as string;
    const written = (await readWriterLog(h.home, 'two')).length;
    await waitForWrites(h, 'two', written + 30);
    expect(statSync(d1).size).toBeLessThan(statSync(d2).size);

    // s2's image is d1 (a differencing image): the smaller d1 is merged forward into d2.
    await ok(h, 'snapshot', 'two', 'delete', 's2');
    expect(existsSync(d1)).toBe(false);
    expect(existsSync(d2)).toBe(true);
    expect((await vdiHeader(d2)).uuidLinkage).toBe(vm.diskUuid);
    const mid = vbox(h, 'two');
    expect(mid.media[0]?.children.map((c) => c.location)).toEqual([d2]);
    expect(mid.snapshot?.name).toBe('s1');
    expect(mid.currentSnapshot).toBe(mid.snapshot?.uuid);
    await ok(h, 'controlvm', 'two', 'pause');
    const pausedLog = await readWriterLog(h.home, 'two');
    const verdict = await chainVerdict([d2, vm.disk], pausedLog, vm.diskUuid, 32);
    expect(verdict).toEqual({ consistent: true, cut: pausedLog.at(-1)?.seq });
    await ok(h, 'controlvm', 'two', 'resume');

    // s1's image is the base: backward merge, d2 into the base.
    await ok(h, 'snapshot', 'two', 'delete', 's1');
    expect(existsSync(d2)).toBe(false);
    expect(vbox(h, 'two').media[0]?.children).toEqual([]);
    await ok(h, 'controlvm', 'two', 'poweroff');
    const log = await readWriterLog(h.home, 'two');
    expect(await chainVerdict([vm.disk], log, vm.diskUuid, 32)).toEqual({ consistent: true, cut: log.at(-1)?.seq });
    expect(readdirSync(join(h.home, 'VirtualBox VMs', 'two', 'Snapshots'))).toEqual([]);
  });

  it('writes no saved state with ForceTakeSnapshotWithoutState=1 and copies the NVRAM file', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'efi', { efi: true, extra: { 'VBoxInternal2/ForceTakeSnapshotWithoutState': '1' } });
    await ok(h, 'startvm', 'efi', '--type', 'headless');
    await ok(h, 'snapshot', 'efi', 'take', 'disk-only', '--live');
    const settings = vbox(h, 'efi');
    expect(settings.snapshot?.stateFile).toBeUndefined();
    const files = readdirSync(join(h.home, 'VirtualBox VMs', 'efi', 'Snapshots'));
    expect(files.filter((f) => f.endsWith('.sav'))).toEqual([]);
    expect(files.filter((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{9}Z\.nvram$/.test(f))).toHaveLength(1);
    expect(settings.snapshot?.hardware.nvramPath).toMatch(/\/Snapshots\/.+\.nvram$/);
    expect(settings.hardware.nvramPath).toBe(join(h.home, 'VirtualBox VMs', 'efi', 'efi.nvram'));
    expect(readFileSync(settings.snapshot?.hardware.nvramPath as string)).toEqual(
      readFileSync(settings.hardware.nvramPath as string),
    );
  });

  it('leaves images qemu and the block engine accept (qemu refuses differencing VDIs by design)', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'valid');
    await ok(h, 'startvm', 'valid', '--type', 'headless');
    await waitForWrites(h, 'valid', 5);
    await ok(h, 'snapshot', 'valid', 'take', 'keep', '--live');
    await waitForWrites(h, 'valid', 10);
    await ok(h, 'controlvm', 'valid', 'poweroff');
    const diff = (await vmInfo(h, 'valid')).get('SATA-0-0') as string;
    expect(qemuCheck(vm.disk)).toMatch(/No errors were found on the image/);
    const refused = spawnSync('qemu-img', ['check', diff], { encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/unsupported VDI image \(non-NULL link UUID\)/);
    for (const path of [vm.disk, diff]) {
      const layout = await detectGrid(path);
      expect(layout.format).toBe('vdi');
      expect(layout.grid).toMatchObject({ headerLength: 2 * 1024 * 1024, blockSize: 1024 * 1024 });
    }
  });
});
