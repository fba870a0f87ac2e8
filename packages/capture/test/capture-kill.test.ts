import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { flattenSnapshots, getExtraData, listSnapshots, showVmInfo } from '@vrs/virtualbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureJournal, FORCE_WITHOUT_STATE, recoverLeftovers } from '../src/index.js';
import { type DoubleVm, makeDoubleVm } from './helpers/double-vm.js';
import { mountFs } from './helpers/loop-fs.js';
import { writesDuring } from './helpers/writes-during.js';

const CHILD = new URL('./fixtures/capture-child.mjs', import.meta.url).pathname;
const QUIESCE = {
  username: 'root',
  freeze: ['/sbin/fsfreeze', '--freeze', '/'],
  thaw: ['/sbin/fsfreeze', '--unfreeze', '/'],
};

describe('a capture killed with SIGKILL at each step', () => {
  let fs: ReturnType<typeof mountFs>;
  let vm: DoubleVm;
  beforeAll(async () => {
    fs = mountFs(256, 'btrfs');
    vm = await makeDoubleVm({ folder: join(fs.dir, 'VMs'), disks: 2, start: true, rate: 50 });
  });
  afterAll(async () => {
    await vm?.cleanup();
    fs?.unmount();
  });

  it.each([
    ['reflink', 'paused'],
    ['reflink', 'cloned'],
    ['vbox-transient', 'transient-taken'],
    ['savestate', 'saved'],
  ])('%s, killed when %s: recovery leaves no clone, snapshot or stopped VM behind', async (method, step) => {
    const job = `00000000-0000-4000-8000-${String(method.length * 100 + step.length).padStart(12, '0')}`;
    const workDir = join(fs.dir, 'work', job);
    const journal = new CaptureJournal(join(fs.dir, 'capture.journal'));
    const child = spawnSync(
      process.execPath,
      [CHILD, join(vm.double.bin, 'VBoxManage'), vm.vm, method, job, workDir, journal.path],
      {
        env: { ...vm.double.env, VRS_CAPTURE_CRASH_AT: step },
        encoding: 'utf8',
      },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(await journal.open()).not.toEqual([]);
    const report = await recoverLeftovers(vm.vbox, journal);
    expect(report.failed).toEqual([]);
    expect((await showVmInfo(vm.vbox.run, vm.vm, vm.vbox.dialect)).state).toBe('running');
    expect(existsSync(workDir)).toBe(false);
    expect(flattenSnapshots((await listSnapshots(vm.vbox.run, vm.vm, vm.vbox.dialect)).snapshots)).toEqual([]);
    expect(await getExtraData(vm.vbox.run, vm.vm, FORCE_WITHOUT_STATE)).toBeNull();
    expect(await journal.open()).toEqual([]);
    // Recovery is idempotent: a second run finds nothing to do.
    expect((await recoverLeftovers(vm.vbox, journal)).undone).toEqual([]);
  });

  it.each(['reflink', 'vbox-transient'])(
    '%s, killed while the guest is frozen: recovery thaws it, and the guest writes again',
    async (method) => {
      const job = `00000000-0000-4000-8001-${String(method.length).padStart(12, '0')}`;
      const workDir = join(fs.dir, 'work', job);
      const journal = new CaptureJournal(join(fs.dir, 'frozen.journal'));
      const child = spawnSync(
        process.execPath,
        [CHILD, join(vm.double.bin, 'VBoxManage'), vm.vm, method, job, workDir, journal.path, JSON.stringify(QUIESCE)],
        { env: { ...vm.double.env, VRS_CAPTURE_CRASH_AT: 'frozen' }, encoding: 'utf8' },
      );
      expect(child.signal, child.stderr).toBe('SIGKILL');
      // The dead agent left the guest frozen: it writes nothing (at 50 writes/s).
      expect(await writesDuring(vm.double.home, vm.vm, 500)).toBe(0);
      expect((await journal.open()).map((o) => o.intent.kind)).toContain('frozen');
      const report = await recoverLeftovers(vm.vbox, journal);
      expect(report.failed).toEqual([]);
      expect(report.undone[0]).toBe('frozen');
      expect(await writesDuring(vm.double.home, vm.vm, 500)).toBeGreaterThan(0);
      expect((await showVmInfo(vm.vbox.run, vm.vm, vm.vbox.dialect)).state).toBe('running');
      expect(existsSync(workDir)).toBe(false);
      expect(flattenSnapshots((await listSnapshots(vm.vbox.run, vm.vm, vm.vbox.dialect)).snapshots)).toEqual([]);
      expect(await getExtraData(vm.vbox.run, vm.vm, FORCE_WITHOUT_STATE)).toBeNull();
      expect(await journal.open()).toEqual([]);
      expect((await recoverLeftovers(vm.vbox, journal)).undone).toEqual([]);
    },
  );
});
