import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flattenSnapshots, listSnapshots } from '@vrs/virtualbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureJournal, capture } from '../src/index.js';
import { type DoubleVm, makeDoubleVm, verdictOf } from './helpers/double-vm.js';
import { mountFs } from './helpers/loop-fs.js';

const TRIALS = 50;
const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('reflink captures on real btrfs while the guest writes flat out', () => {
  let fs: ReturnType<typeof mountFs>;
  let vm: DoubleVm;
  beforeAll(async () => {
    fs = mountFs(512, 'btrfs');
    vm = await makeDoubleVm({ folder: join(fs.dir, 'VMs'), disks: 2, start: true });
  });
  afterAll(async () => {
    await vm?.cleanup();
    fs?.unmount();
  });

  it(`are a consistent cut across both disks in each of ${TRIALS} trials, and leave nothing behind`, async () => {
    const journal = new CaptureJournal(join(fs.dir, 'capture.journal'));
    const pauses: number[] = [];
    let cuts = 0;
    for (let trial = 1; trial <= TRIALS; trial++) {
      const workDir = join(fs.dir, 'work', job(trial));
      const taken = await capture(vm.vbox, vm.vm, { job: job(trial), workDir }, journal);
      expect(taken.method).toBe('reflink');
      const { verdict, writes } = await verdictOf(taken, vm.double.home);
      expect(verdict, `trial ${trial}: ${verdict.reason}`).toMatchObject({ consistent: true });
      if ((verdict.cut ?? 0) > 0 && writes > (verdict.cut ?? 0)) cuts++;
      pauses.push(taken.pausedMs);
      await taken.release();
    }
    pauses.sort((a, b) => a - b);
    console.log(
      `reflink, 2 disks: pause median ${pauses[TRIALS >> 1]?.toFixed(1)} ms, max ${pauses.at(-1)?.toFixed(1)} ms; ${cuts} cuts mid-stream`,
    );
    // The writer kept writing after most captures: the cuts really were taken while it ran.
    expect(cuts).toBeGreaterThan(TRIALS / 2);
    expect(await readdir(join(fs.dir, 'work'))).toEqual([]);
    expect(await journal.open()).toEqual([]);
  }, 600_000);
});

describe('vbox-transient captures while the guest writes flat out', () => {
  let vm: DoubleVm;
  const dir = mkdtempSync(join(tmpdir(), 'vrs-transient-'));
  beforeAll(async () => {
    vm = await makeDoubleVm({ folder: dir, disks: 1, start: true });
  });
  afterAll(async () => {
    await vm?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`read a consistent frozen chain in each of ${TRIALS} trials, and merge their snapshot away`, async () => {
    const journal = new CaptureJournal(join(dir, 'capture.journal'));
    for (let trial = 1; trial <= TRIALS; trial++) {
      const taken = await capture(
        vm.vbox,
        vm.vm,
        { job: job(trial), workDir: join(dir, 'work'), method: 'vbox-transient' },
        journal,
      );
      const { verdict } = await verdictOf(taken, vm.double.home);
      expect(verdict, `trial ${trial}: ${verdict.reason}`).toMatchObject({ consistent: true });
      await taken.release();
    }
    const { snapshots } = await listSnapshots(vm.vbox.run, vm.vm, vm.vbox.dialect);
    expect(flattenSnapshots(snapshots)).toEqual([]);
    expect(await journal.open()).toEqual([]);
  }, 600_000);
});
