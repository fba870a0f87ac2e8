// Fault test: the lab link goes down in the middle of a transfer and comes back up, during a snapshot of the
// running VM and during a restore. The outage (30 s) outlasts the agent's keepalive (15 s + 10 s), so its
// control connection drops and reconnects while the transfer waits. The same job (one attempt) must resume and
// end byte-exact; then borg check passes, borg and the catalog agree, the host has nothing left over and every
// job tells the truth. Needs root (network namespaces).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../packages/agent/test/helpers/archive-image.js';
import { controlVm, startVm } from '../../../packages/virtualbox/dist/index.js';
import {
  archivedImage,
  expectHostClean,
  expectJobsTruthful,
  expectRepositoryConsistent,
} from './helpers/fault-checks.js';
import { type Host, type Rig, sleep, startRig } from './helpers/fault-rig.js';

const OUTAGE_MS = 30_000;
let rig: Rig;
let host: Host;

/**
 * Takes a started job; waits until it has moved at least `bytes` over the link (its recorded progress), takes
 * the link down for OUTAGE_MS, brings it up again, and waits for the job. Returns the job and what the outage
 * interrupted.
 */
async function outageDuring(jobId: string, bytes: number) {
  let seen = await rig.admin.jobs.get.query({ id: jobId });
  for (let i = 0; i < 600 && seen.progress.bytesSent < bytes && seen.state === 'running'; i++) {
    await sleep(50);
    seen = await rig.admin.jobs.get.query({ id: jobId });
  }
  expect(seen.state, 'the job was still under way when the link went down').toBe('running');
  const counters = rig.lab.counters();
  rig.lab.link('down');
  await sleep(OUTAGE_MS);
  rig.lab.link('up');
  const done = await rig.waitForJob(jobId);
  const after = rig.lab.counters();
  const wire = after.host.txBytes - counters.host.txBytes + after.host.rxBytes - counters.host.rxBytes;
  return { done, before: seen.progress, wire };
}

beforeAll(async () => {
  rig = await startRig();
  // 24 MiB of data: a transfer takes a few seconds at 50 Mbit/s, long enough to cut it in the middle.
  host = await rig.addHost({ sizeMiB: 64, blocks: '0-23', rate: 0, writerSeed: 424_242 });
  await host.guestWrites(72);
}, 180_000);
afterAll(async () => rig?.close());

describe('the lab link down for 30 s in the middle of a transfer, then up', () => {
  const snapshots: { id: string; archive: string }[] = [];

  it('a snapshot of the running VM resumes within the same job and commits a consistent cut', async () => {
    const first = await rig.waitForJob((await rig.admin.snapshots.take.mutate({ vmUuid: host.vm })).id);
    expect(first.state).toBe('succeeded');
    snapshots.push(await rig.admin.snapshots.get.query({ id: first.snapshotId as string }));
    // The guest rewrites every block while running, so the next snapshot sends them all again.
    await host.setWriterRate(40);
    await startVm(host.vbox.run, host.vm);
    await host.waitForWrites(await host.writerMark(), 24);
    const job = await rig.admin.snapshots.take.mutate({ vmUuid: host.vm, label: 'through an outage' });
    const { done, before, wire } = await outageDuring(job.id, 2 * 1024 * 1024);
    console.log(
      `snapshot: link down after ${before.bytesSent} of ${before.bytesTotal} bytes (${before.phase}); the job then ${done.state} in attempt ${done.attempts}, ${done.progress.bytesSent} bytes sent in all, ${wire} bytes on the wire after the cut`,
    );
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.attempts).toBe(1);
    const snapshot = await rig.admin.snapshots.get.query({ id: done.snapshotId as string });
    snapshots.push(snapshot);
    expect((await archivedImage(rig, host, snapshot.archive)).cut).toMatchObject({ consistent: true });
    expect(rig.hosts[0]?.agent?.log()).toMatch(/disconnected from the server; reconnecting/);
    await expectHostClean(host, 'running');
  }, 300_000);

  it('a restore resumes within the same job and ends byte-exact', async () => {
    await controlVm(host.vbox.run, host.vm, 'poweroff');
    const target = snapshots[0] as { id: string; archive: string };
    const expected = (await archivedImage(rig, host, target.archive)).sha;
    expect(await sha256File(host.image)).not.toBe(expected);
    const job = await rig.admin.snapshots.restore.mutate({ snapshotId: target.id });
    const { done, before } = await outageDuring(job.id, 2 * 1024 * 1024);
    console.log(
      `restore: link down after ${before.bytesSent} bytes (${before.phase}); the job then ${done.state} in attempt ${done.attempts}, ${done.progress.bytesSent} bytes fetched in all`,
    );
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.attempts).toBe(1);
    expect(await sha256File(host.image)).toBe(expected);
    await expectHostClean(host, 'poweroff');
  }, 300_000);

  it('leaves borg, the catalog, the host and the jobs in order; every snapshot restores byte-exact', async () => {
    const latest = snapshots[1] as { id: string; archive: string };
    const again = await rig.waitForJob((await rig.admin.snapshots.restore.mutate({ snapshotId: latest.id })).id);
    expect(again.state).toBe('succeeded');
    expect(await sha256File(host.image)).toBe((await archivedImage(rig, host, latest.archive)).sha);
    await rig.settle();
    await expectRepositoryConsistent(rig);
    await expectHostClean(host, 'poweroff');
    await expectJobsTruthful(rig);
  }, 300_000);
});
