// Fault test: the server's disk fills up. The server's whole data directory (catalog, borg repositories,
// mirrors, borg cache) lives on a small loop-mounted ext4; a file fills it to within a few MiB, and the next
// snapshot, over the lab's wifi link, needs more than that. The job must fail DISK_FULL with a hint saying what
// to do, nothing may be corrupted (borg check, catalog and borg agree, the earlier snapshot restores
// byte-exact), and once the file is gone a new snapshot succeeds. Needs root (namespaces, loop mount).
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../packages/agent/test/helpers/archive-image.js';
import { mountFs } from '../../../packages/capture/test/helpers/loop-fs.js';
import {
  archivedImage,
  expectHostClean,
  expectJobsTruthful,
  expectRepositoryConsistent,
} from './helpers/fault-checks.js';
import { type Host, type Rig, startRig } from './helpers/fault-rig.js';

const MIB = 1024 * 1024;
let fs: { dir: string; unmount: () => void };
let rig: Rig;
let host: Host;
const filler = () => join(fs.dir, 'filler');
const freeBytes = () => {
  const s = statfsSync(fs.dir);
  return s.bavail * s.bsize;
};

beforeAll(async () => {
  fs = mountFs(160, 'ext4');
  rig = await startRig({ data: join(fs.dir, 'data') });
  host = await rig.addHost({ sizeMiB: 32, blocks: '0-11', rate: 0, writerSeed: 777 });
  await host.guestWrites(36);
}, 180_000);
afterAll(async () => {
  await rig?.close();
  fs?.unmount();
});

describe("the server's disk full", () => {
  let first: { id: string; archive: string };

  it('fails the snapshot DISK_FULL with a hint, and corrupts nothing', async () => {
    const ok = await rig.waitForJob((await rig.admin.snapshots.take.mutate({ vmUuid: host.vm })).id);
    expect(ok.state, JSON.stringify(ok.error)).toBe('succeeded');
    first = await rig.admin.snapshots.get.query({ id: ok.snapshotId as string });
    await rig.settle();
    // Leave 4 MiB: less than the 12 changed blocks the next snapshot brings.
    execFileSync('fallocate', ['-l', String(freeBytes() - 4 * MIB), filler()]);
    console.log(`disk full: ${(freeBytes() / MIB).toFixed(1)} MiB left on the server's ${fs.dir}`);
    await host.guestWrites(36);
    const job = await rig.admin.snapshots.take.mutate({ vmUuid: host.vm, label: 'no room' });
    const done = await rig.waitForJob(job.id);
    console.log(`the snapshot: ${done.state}, ${JSON.stringify(done.error)}`);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('DISK_FULL');
    expect(done.error?.hint).toMatch(/free space|prune/i);
    expect(done.snapshotId).toBeNull();
    // Nothing is corrupted: borg and the catalog agree and check out, the earlier snapshot restores byte-exact.
    await rig.settle();
    await expectRepositoryConsistent(rig);
    await expectJobsTruthful(rig);
    const restore = await rig.waitForJob((await rig.admin.snapshots.restore.mutate({ snapshotId: first.id })).id);
    expect(restore.state, JSON.stringify(restore.error)).toBe('succeeded');
    expect(await sha256File(host.image)).toBe((await archivedImage(rig, host, first.archive)).sha);
    await expectHostClean(host, 'poweroff');
  }, 300_000);

  it('takes a snapshot again once there is room, and leaves everything in order', async () => {
    await rm(filler());
    await host.guestWrites(36);
    const done = await rig.waitForJob((await rig.admin.snapshots.take.mutate({ vmUuid: host.vm })).id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const snapshot = await rig.admin.snapshots.get.query({ id: done.snapshotId as string });
    const image = await archivedImage(rig, host, snapshot.archive);
    expect(image.sha).toBe(await sha256File(host.image));
    // Every committed snapshot restores byte-exact.
    for (const s of [first, snapshot]) {
      const restore = await rig.waitForJob((await rig.admin.snapshots.restore.mutate({ snapshotId: s.id })).id);
      expect(restore.state, JSON.stringify(restore.error)).toBe('succeeded');
      expect(await sha256File(host.image)).toBe((await archivedImage(rig, host, s.archive)).sha);
    }
    await rig.settle();
    await expectRepositoryConsistent(rig);
    await expectHostClean(host, 'poweroff');
    await expectJobsTruthful(rig);
  }, 300_000);
});
