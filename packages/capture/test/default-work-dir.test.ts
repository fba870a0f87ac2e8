import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureJournal, capture, defaultWorkDir } from '../src/index.js';
import { type DoubleVm, makeDoubleVm, verdictOf } from './helpers/double-vm.js';
import { mountFs } from './helpers/loop-fs.js';

// The agent used to inspect the VM only to name the work directory, and the capture then inspected it again:
// two VBoxManage round trips per snapshot for nothing. Now the capture names it from its own inspection.
describe('a capture without a work directory', () => {
  let fs: ReturnType<typeof mountFs>;
  let vm: DoubleVm;
  beforeAll(async () => {
    fs = mountFs(512, 'btrfs');
    vm = await makeDoubleVm({ folder: join(fs.dir, 'VMs'), disks: 2, start: true, rate: 20 });
  });
  afterAll(async () => {
    await vm?.cleanup();
    fs?.unmount();
  });

  it('clones into .vrs-capture beside the VM settings, a consistent cut, and removes it on release', async () => {
    const journal = new CaptureJournal(join(fs.dir, 'capture.journal'));
    const taken = await capture(vm.vbox, vm.vm, { job: '00000000-0000-4000-8000-000000000001' }, journal);
    const workDir = join(dirname(taken.vm.configFile), '.vrs-capture');
    expect(defaultWorkDir(taken.vm)).toBe(workDir);
    expect(taken.method).toBe('reflink');
    expect(taken.files.filter((f) => f.role === 'disk').every((f) => dirname(f.readPath) === workDir)).toBe(true);
    expect((await verdictOf(taken, vm.double.home)).verdict).toMatchObject({ consistent: true });
    await taken.release();
    expect(existsSync(workDir)).toBe(false);
    expect(await journal.open()).toEqual([]);
  }, 120_000);
});
