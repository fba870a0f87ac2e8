// Fault test: another borg writer (`borg with-lock REPO sleep …`, as a long prune run by hand would) holds the
// host's repository lock when a snapshot job arrives over the lab's wifi link. The server's borg waits
// `borg.lockWaitSeconds` (3 s here) for the lock: a holder that lets go within that time only delays the job;
// one that holds on longer makes it REPO_LOCKED, which is retried with a backoff, and the job then succeeds.
// Nothing breaks: borg check passes, borg and the catalog agree, every snapshot restores byte-exact, the host
// has nothing left over and every job tells the truth. Needs root (network namespaces).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../packages/agent/test/helpers/archive-image.js';
import {
  archivedImage,
  expectHostClean,
  expectJobsTruthful,
  expectRepositoryConsistent,
  hostRepo,
} from './helpers/fault-checks.js';
import { type Host, type Rig, sleep, startRig } from './helpers/fault-rig.js';

let rig: Rig;
let host: Host;
const snapshots: { id: string; archive: string }[] = [];

/** Takes the repository; holds its lock with `borg with-lock` on the storage side until released. */
async function holdLock(repo: ReturnType<typeof hostRepo>) {
  const holder = rig.lab.spawn('storage', ['borg', 'with-lock', repo.path, 'sleep', '600'], {
    env: { BORG_BASE_DIR: repo.baseDir, BORG_CACHE_DIR: repo.cacheDir },
    check: false,
  });
  for (let i = 0; i < 200 && !readdirSync(repo.path).includes('lock.exclusive'); i++) await sleep(50);
  expect(readdirSync(repo.path)).toContain('lock.exclusive');
  return { release: () => holder.stop('SIGTERM') };
}

/** Takes a repository path; returns whether a `borg create` of it runs now (it waits for the lock). */
function borgCreateRunning(repoPath: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('borg')) && argv.includes('create') && argv.some((a) => a.includes(repoPath)))
        return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

beforeAll(async () => {
  rig = await startRig({ serverConfig: { borg: { lockWaitSeconds: 3 } } });
  host = await rig.addHost({ sizeMiB: 32, blocks: '0-7', rate: 0, writerSeed: 31_337 });
  await host.guestWrites(24);
  const done = await rig.waitForJob((await rig.admin.snapshots.take.mutate({ vmUuid: host.vm })).id);
  expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
  snapshots.push(await rig.admin.snapshots.get.query({ id: done.snapshotId as string }));
  await rig.settle();
}, 180_000);
afterAll(async () => rig?.close());

describe('the borg repository locked by another writer when a snapshot job arrives', () => {
  it('a lock let go within the lock wait: borg create waits, and the job succeeds in its first attempt', async () => {
    await host.guestWrites(24);
    const repo = hostRepo(rig, host);
    const lock = await holdLock(repo);
    const job = await rig.admin.snapshots.take.mutate({ vmUuid: host.vm, label: 'waits' });
    for (let i = 0; i < 1200 && !borgCreateRunning(repo.path); i++) await sleep(50);
    expect(borgCreateRunning(repo.path), 'borg create started and waits for the lock').toBe(true);
    await sleep(1500);
    await lock.release();
    const done = await rig.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.attempts).toBe(1);
    snapshots.push(await rig.admin.snapshots.get.query({ id: done.snapshotId as string }));
  }, 300_000);

  it('a lock held past the lock wait: the job is REPO_LOCKED, retried after a backoff, and succeeds', async () => {
    await rig.settle();
    await host.guestWrites(24);
    const repo = hostRepo(rig, host);
    const lock = await holdLock(repo);
    const job = await rig.admin.snapshots.take.mutate({ vmUuid: host.vm, label: 'retried' });
    let seen = await rig.admin.jobs.get.query({ id: job.id });
    for (let i = 0; i < 1200 && !(seen.state === 'queued' && seen.error); i++) {
      await sleep(100);
      seen = await rig.admin.jobs.get.query({ id: job.id });
    }
    console.log(
      `while locked: the job is ${seen.state}, ${JSON.stringify(seen.error)}, runs again at ${seen.runAfter}`,
    );
    expect(seen).toMatchObject({ state: 'queued', error: { code: 'REPO_LOCKED' } });
    expect(seen.error?.message).toMatch(/lock/i);
    await lock.release();
    const done = await rig.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.attempts).toBe(2);
    const snapshot = await rig.admin.snapshots.get.query({ id: done.snapshotId as string });
    snapshots.push(snapshot);
    expect((await archivedImage(rig, host, snapshot.archive)).sha).toBe(await sha256File(host.image));
  }, 300_000);

  it('leaves borg, the catalog, the host and the jobs in order; every snapshot restores byte-exact', async () => {
    await rig.settle();
    await expectRepositoryConsistent(rig);
    for (const s of snapshots) {
      const restore = await rig.waitForJob((await rig.admin.snapshots.restore.mutate({ snapshotId: s.id })).id);
      expect(restore.state, JSON.stringify(restore.error)).toBe('succeeded');
      expect(await sha256File(host.image)).toBe((await archivedImage(rig, host, s.archive)).sha);
    }
    await rig.settle();
    await expectHostClean(host, 'poweroff');
    const jobs = await expectJobsTruthful(rig);
    expect(jobs.filter((j) => j.state !== 'succeeded')).toEqual([]);
  }, 300_000);
});
