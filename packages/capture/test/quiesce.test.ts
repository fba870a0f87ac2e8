import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setExtraData } from '@vrs/virtualbox';
import { GUEST_CREDENTIALS_KEY } from '@vrs/virtualbox/test-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureError, CaptureJournal, capture, type QuiesceHooks, recoverLeftovers } from '../src/index.js';
import { listSubvolumes, reclaimDeletedSubvolumes } from './helpers/btrfs.js';
import { type DoubleVm, makeDoubleVm, VM_NAME, verdictOf } from './helpers/double-vm.js';
import { mountFs } from './helpers/loop-fs.js';
import { writesDuring } from './helpers/writes-during.js';

const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const FREEZE = ['/sbin/fsfreeze', '--freeze', '/'];
const THAW = ['/sbin/fsfreeze', '--unfreeze', '/'];

let fs: ReturnType<typeof mountFs>;
let passwordFile: string;
beforeAll(() => {
  fs = mountFs(512, 'btrfs');
  passwordFile = join(fs.dir, 'guest-password');
  writeFileSync(passwordFile, 'guest secret\n', { mode: 0o600 });
});
afterAll(() => fs?.unmount());

/** fsfreeze hooks logging on as root with the password file, and whatever a test changes. */
const hooks = (change: Partial<QuiesceHooks> = {}): QuiesceHooks => ({
  username: 'root',
  passwordFile,
  freeze: FREEZE,
  thaw: THAW,
  timeoutMs: 5000,
  ...change,
});

/** Takes the VM and a guest command; runs it as the test's operator (not the capture) and returns its exit code. */
async function guest(vm: DoubleVm, command: string[]): Promise<number> {
  const args = ['guestcontrol', vm.vm, 'run', '--username', 'root', '--passwordfile', passwordFile, '--', ...command];
  return (await vm.double.run(args)).exitCode;
}

describe('quiesce hooks through guestcontrol run (btrfs-snapshot provider, the guest writing)', () => {
  let vm: DoubleVm;
  beforeAll(async () => {
    vm = await makeDoubleVm({ folder: join(fs.dir, 'VMs'), disks: 2, start: true, subvolume: true });
    await setExtraData(vm.vbox.run, vm.vm, GUEST_CREDENTIALS_KEY, 'root:guest secret');
  });
  afterAll(async () => {
    await vm?.cleanup();
  });

  it('freeze succeeds: the capture is application-consistent, frozenMs is measured, and the guest writes again', async () => {
    const journal = new CaptureJournal(join(fs.dir, 'ok.journal'));
    const started = performance.now();
    const taken = await capture(vm.vbox, vm.vm, { job: job(1), workDir: fs.dir, quiesce: hooks() }, journal);
    const elapsed = performance.now() - started;
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
    expect(taken).toMatchObject({ method: 'btrfs-snapshot', consistency: 'application' });
    // The pause sits inside the freeze, and both inside the capture call.
    expect(taken.frozenMs).toBeGreaterThan(0);
    expect(taken.frozenMs).toBeGreaterThanOrEqual(taken.pausedMs);
    expect(taken.frozenMs).toBeLessThanOrEqual(elapsed);
    const { verdict } = await verdictOf(taken, vm.double.home);
    expect(verdict, verdict.reason).toMatchObject({ consistent: true });
    await taken.release();
    expect(await journal.open()).toEqual([]);
  });

  it('a freeze the guest refuses (already frozen) falls back to crash, and the thaw still runs', async () => {
    // Someone (a capture whose agent died before its recovery ran) left the guest frozen.
    expect(await guest(vm, FREEZE)).toBe(0);
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBe(0);
    const journal = new CaptureJournal(join(fs.dir, 'busy.journal'));
    const taken = await capture(vm.vbox, vm.vm, { job: job(2), workDir: fs.dir, quiesce: hooks() }, journal);
    expect(taken).toMatchObject({ method: 'btrfs-snapshot', consistency: 'crash', frozenMs: 0 });
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
    expect((await verdictOf(taken, vm.double.home)).verdict).toMatchObject({ consistent: true });
    await taken.release();
    expect(await journal.open()).toEqual([]);
  });

  it('a freeze that cannot run (wrong password) falls back to crash and leaves no intent open', async () => {
    const wrong = join(fs.dir, 'wrong-password');
    writeFileSync(wrong, 'not it\n', { mode: 0o600 });
    const journal = new CaptureJournal(join(fs.dir, 'logon.journal'));
    const taken = await capture(
      vm.vbox,
      vm.vm,
      { job: job(3), workDir: fs.dir, quiesce: hooks({ passwordFile: wrong }) },
      journal,
    );
    expect(taken).toMatchObject({ method: 'btrfs-snapshot', consistency: 'crash', frozenMs: 0 });
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
    await taken.release();
    expect(await journal.open()).toEqual([]);
  });

  it('a freeze that froze the guest, then timed out: crash consistency, and the thaw still runs', async () => {
    // The freeze script's first effect (the guest frozen), then it hangs until the guestcontrol timeout.
    expect(await guest(vm, FREEZE)).toBe(0);
    const journal = new CaptureJournal(join(fs.dir, 'timeout.journal'));
    const quiesce = hooks({ freeze: ['/bin/sh', '-c', 'sleep 5'], timeoutMs: 300 });
    const taken = await capture(vm.vbox, vm.vm, { job: job(4), workDir: fs.dir, quiesce }, journal);
    expect(taken).toMatchObject({ method: 'btrfs-snapshot', consistency: 'crash' });
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
    await taken.release();
    expect(await journal.open()).toEqual([]);
  });

  it('a freeze that timed out and a thaw that fails: a CaptureError saying the guest may be frozen, the intent kept for recovery', async () => {
    const journal = new CaptureJournal(join(fs.dir, 'stuck.journal'));
    // The guest is not frozen, so fsfreeze --unfreeze fails; but a freeze that timed out may still take effect.
    const quiesce = hooks({ freeze: ['/bin/sh', '-c', 'sleep 5'], timeoutMs: 300 });
    const failure = capture(vm.vbox, vm.vm, { job: job(5), workDir: fs.dir, quiesce }, journal);
    await expect(failure).rejects.toThrow(CaptureError);
    await expect(failure).rejects.toMatchObject({ step: 'thawing the guest' });
    await expect(failure).rejects.toThrow(/the guest may still be frozen/);
    expect((await journal.open()).map((o) => o.intent.kind)).toEqual(['frozen']);
    // Recovery tries the thaw again, and keeps the intent while the thaw fails.
    expect((await recoverLeftovers(vm.vbox, journal)).failed).toEqual([
      { kind: 'frozen', error: expect.stringMatching(/may still be frozen/) },
    ]);
    expect((await journal.open()).map((o) => o.intent.kind)).toEqual(['frozen']);
    // Nothing else is left: the snapshot was deleted, the VM resumed.
    reclaimDeletedSubvolumes(fs.dir);
    expect(listSubvolumes(fs.dir)).toEqual([relative(fs.dir, join(fs.dir, 'VMs', VM_NAME))]);
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
  });
});

describe('a snapshot that fails while the guest is frozen', () => {
  let vm: DoubleVm;
  beforeAll(async () => {
    // A plain folder, not a subvolume: a policy forcing btrfs-snapshot makes `btrfs subvolume snapshot` fail.
    vm = await makeDoubleVm({ folder: join(fs.dir, 'plain'), disks: 1, start: true });
  });
  afterAll(async () => {
    await vm?.cleanup();
  });

  it('still thaws the guest, fails with a CaptureError carrying btrfs’s message, and leaves nothing behind', async () => {
    const journal = new CaptureJournal(join(fs.dir, 'work-fails.journal'));
    const failure = capture(
      vm.vbox,
      vm.vm,
      { job: job(6), workDir: fs.dir, method: 'btrfs-snapshot', quiesce: hooks({ passwordFile: undefined }) },
      journal,
    );
    await expect(failure).rejects.toThrow(CaptureError);
    await expect(failure).rejects.toMatchObject({ step: 'taking the btrfs snapshot' });
    await expect(failure).rejects.toThrow(/Not a Btrfs subvolume/i);
    expect(await writesDuring(vm.double.home, vm.vm, 200)).toBeGreaterThan(0);
    expect(await journal.open()).toEqual([]);
  });
});
