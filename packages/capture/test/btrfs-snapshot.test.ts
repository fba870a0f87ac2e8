import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { showVmInfo } from '@vrs/virtualbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureJournal, capture, recoverLeftovers } from '../src/index.js';
import {
  countDeletedSubvolumes,
  isReadOnlySubvolume,
  listSubvolumes,
  reclaimDeletedSubvolumes,
} from './helpers/btrfs.js';
import { type DoubleVm, makeDoubleVm, VM_NAME, verdictOf } from './helpers/double-vm.js';
import { mountFs } from './helpers/loop-fs.js';
import { writesDuring } from './helpers/writes-during.js';

const CHILD = new URL('./fixtures/capture-child.mjs', import.meta.url).pathname;
const TRIALS = 20;
const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('btrfs-snapshot captures of a VM folder that is its own subvolume, while the guest writes flat out', () => {
  let fs: ReturnType<typeof mountFs>;
  let vm: DoubleVm;
  let vmsDir: string;
  beforeAll(async () => {
    fs = mountFs(512, 'btrfs');
    vmsDir = join(fs.dir, 'VMs');
    vm = await makeDoubleVm({ folder: vmsDir, disks: 2, start: true, subvolume: true });
  });
  afterAll(async () => {
    await vm?.cleanup();
    fs?.unmount();
  });

  it(`are chosen automatically, read a read-only snapshot that is a consistent cut in each of ${TRIALS} trials, and leave no snapshot behind`, async () => {
    const journal = new CaptureJournal(join(fs.dir, 'capture.journal'));
    const vmSubvolume = relative(fs.dir, join(vmsDir, VM_NAME));
    expect(listSubvolumes(fs.dir)).toEqual([vmSubvolume]);
    const pauses: number[] = [];
    let cuts = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      const snapshot = join(vmsDir, `.vrs-snapshot-${job(trial)}`);
      const taken = await capture(vm.vbox, vm.vm, { job: job(trial), workDir: join(fs.dir, 'work') }, journal);
      expect(taken.method).toBe('btrfs-snapshot');
      expect(taken.consistency).toBe('crash');
      // Every file is read from the snapshot, which nothing can write.
      expect(taken.files.every((f) => f.readPath.startsWith(`${snapshot}/`))).toBe(true);
      expect(isReadOnlySubvolume(snapshot)).toBe(true);
      expect(listSubvolumes(fs.dir)).toEqual([vmSubvolume, relative(fs.dir, snapshot)]);
      const { verdict, writes } = await verdictOf(taken, vm.double.home);
      expect(verdict, `trial ${trial}: ${verdict.reason}`).toMatchObject({ consistent: true });
      if ((verdict.cut ?? 0) > 0 && writes > (verdict.cut ?? 0)) cuts++;
      // Paused around the snapshot, which could otherwise catch a guest write half done.
      expect(taken.pausedMs).toBeGreaterThan(0);
      pauses.push(taken.pausedMs);
      await taken.release();
      expect(existsSync(snapshot), `trial ${trial}: the snapshot is still there`).toBe(false);
      // A deleted snapshot keeps its space until btrfs's cleaner drops it: wait, or the small disk fills up.
      reclaimDeletedSubvolumes(fs.dir);
    }
    pauses.sort((a, b) => a - b);
    console.log(
      `btrfs-snapshot, 2 disks: pause median ${pauses[TRIALS >> 1]?.toFixed(1)} ms, max ${pauses.at(-1)?.toFixed(1)} ms; ${cuts} of ${TRIALS} cuts mid-stream`,
    );
    // The writer kept writing after most captures: the cuts really were taken while it ran.
    expect(cuts).toBeGreaterThan(TRIALS / 2);
    expect(listSubvolumes(fs.dir)).toEqual([vmSubvolume]);
    expect(countDeletedSubvolumes(fs.dir)).toBe(0);
    expect(await journal.open()).toEqual([]);
    // Resumed after each snapshot: the guest still runs and writes.
    expect((await showVmInfo(vm.vbox.run, vm.vm, vm.vbox.dialect)).state).toBe('running');
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
  }, 600_000);

  it('killed with SIGKILL once its snapshot exists: recovery deletes the snapshot subvolume', async () => {
    const id = job(99);
    const snapshot = join(vmsDir, `.vrs-snapshot-${id}`);
    const journal = new CaptureJournal(join(fs.dir, 'kill.journal'));
    const child = spawnSync(
      process.execPath,
      [CHILD, join(vm.double.bin, 'VBoxManage'), vm.vm, 'btrfs-snapshot', id, join(fs.dir, 'work'), journal.path],
      { env: { ...vm.double.env, VRS_CAPTURE_CRASH_AT: 'btrfs-snapshot-taken' }, encoding: 'utf8' },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(listSubvolumes(fs.dir)).toContain(relative(fs.dir, snapshot));
    const report = await recoverLeftovers(vm.vbox, journal);
    expect(report.failed).toEqual([]);
    expect(report.undone).toContain('btrfs-snapshot');
    expect(existsSync(snapshot)).toBe(false);
    reclaimDeletedSubvolumes(fs.dir);
    expect(listSubvolumes(fs.dir)).toEqual([relative(fs.dir, join(vmsDir, VM_NAME))]);
    expect(await journal.open()).toEqual([]);
    expect((await showVmInfo(vm.vbox.run, vm.vm, vm.vbox.dialect)).state).toBe('running');
  });
});
