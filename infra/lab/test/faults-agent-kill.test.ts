// Fault test: vrs-agent killed with SIGKILL at random points of snapshots (of the running VM) and of restores,
// over the lab's wifi link, with the server in the storage namespace. Each trial kills an agent either at a
// random crash point of its list (VRS_AGENT_CRASH_AT: snapshot:sent:<n>, snapshot:sealing, restore:fetched:<n>,
// restore:finished; n random) or after a random delay, starts it again, and expects the same job to finish: a
// snapshot that is a consistent cut of the guest's writes, a restore that is byte-exact. Two hosts run their
// trials side by side (half of the trials each), so the suite stays within its time. Afterwards every snapshot
// has been restored, borg check passes, borg and the catalog agree, the hosts have nothing left over and every
// job tells the truth. Needs root (network namespaces).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../packages/agent/test/helpers/archive-image.js';
import { controlVm, startVm } from '../../../packages/virtualbox/dist/index.js';
import {
  archivedImage,
  type CellImage,
  differingCells,
  expectHostClean,
  expectJobsTruthful,
  expectRepositoryConsistent,
} from './helpers/fault-checks.js';
import { type Host, type Rig, sleep, startRig } from './helpers/fault-rig.js';
import { type Random, seededRandom } from './helpers/seeded-random.js';

const TRIALS = 20;
const HOSTS = 2;
const master = seededRandom('faults-agent-kill');

/** A trial's fault: a crash point the agent dies at, or a SIGKILL that many ms after the job was asked for. */
type Fault = { point: string } | { delayMs: number };
const describeFault = (f: Fault) => ('point' in f ? `crash at ${f.point}` : `SIGKILL after ${f.delayMs} ms`);

/** One host's share of the trials: its random source, its snapshots, and what each trial did. */
interface HostRun {
  host: Host;
  random: Random;
  snapshots: { id: string; archive: string; label: string; image?: CellImage }[];
  /** How long an undisturbed job took there: the range of the random delays. */
  snapshotMs: number;
  restoreMs: number;
  rows: string[];
}

let rig: Rig;
const runs: HostRun[] = [];

/**
 * Takes a host's run, a fault and the job's start; arms the fault (a crash point needs the agent restarted with
 * it), starts the job, lets the fault happen, starts the agent again and waits for the job, which must
 * succeed. Returns the job and where the kill found it.
 */
async function runWithFault(run: HostRun, fault: Fault, start: () => Promise<{ id: string }>) {
  const { host } = run;
  if ('point' in fault) {
    await host.stopAgent();
    host.startAgent(fault.point);
  }
  const agent = host.agent;
  if (!agent) throw new Error('no agent');
  const job = await start();
  if ('point' in fault) {
    const exit = await Promise.race([agent.exited, sleep(120_000).then(() => 'still running')]);
    expect(exit, `${host.name} should have died at ${fault.point}:\n${agent.log().slice(-2000)}`).toBe('SIGKILL');
  } else {
    await sleep(fault.delayMs);
    await agent.kill('SIGKILL');
  }
  const seen = await rig.admin.jobs.get.query({ id: job.id });
  const where =
    seen.state === 'queued'
      ? 'before the agent had the job'
      : seen.state === 'succeeded'
        ? 'after the job had ended'
        : `mid-job (${seen.state}, ${seen.progress.phase})`;
  host.startAgent();
  const done = await rig.waitForJob(job.id);
  expect(done.state, `${host.name}, ${describeFault(fault)}: ${JSON.stringify(done.error)}`).toBe('succeeded');
  // A crash point before the end is always mid-job: the server hands the job out again and the agent resumes
  // it. (A delay kill that finds the job running may have come after the agent's last call, as
  // restore:finished does: then the job ends with one attempt.)
  if ('point' in fault && fault.point !== 'restore:finished')
    expect(done.attempts, `${host.name}: the job resumed`).toBeGreaterThanOrEqual(2);
  return { done, where };
}

async function snapshotTrials(run: HostRun, count: number): Promise<void> {
  const { host, random } = run;
  let mark = await host.writerMark();
  for (let trial = 1; trial <= count; trial++) {
    // The guest rewrote all four blocks since the last snapshot, so at least four cells travel.
    await host.waitForWrites(mark, 4);
    const fault: Fault =
      random.next() < 0.5
        ? { point: random.next() < 0.75 ? `snapshot:sent:${random.int(1, 3)}` : 'snapshot:sealing' }
        : { delayMs: random.int(0, run.snapshotMs) };
    const label = `trial ${trial}`;
    const t = Date.now();
    const { done, where } = await runWithFault(run, fault, () =>
      rig.admin.snapshots.take.mutate({ vmUuid: host.vm, label }),
    );
    mark = await host.writerMark();
    run.snapshots.push({ ...(await rig.admin.snapshots.get.query({ id: done.snapshotId as string })), label });
    run.rows.push(`  ${label}: ${describeFault(fault)}, ${where}; attempts ${done.attempts}; ${Date.now() - t} ms`);
    await expectHostClean(host, 'running');
  }
}

async function restoreTrials(run: HostRun, count: number): Promise<void> {
  const { host, random, snapshots } = run;
  await controlVm(host.vbox.run, host.vm, 'poweroff');
  for (const s of snapshots) {
    s.image = await archivedImage(rig, host, s.archive);
    expect(s.image.cut, `${host.name}: ${s.label} (${s.archive}) is a consistent cut`).toMatchObject({
      consistent: true,
    });
  }
  // Far-apart snapshots in turn (oldest, newest, second oldest, …), so each restore moves many cells.
  const order = snapshots.map((_, i) => snapshots[i % 2 === 0 ? i / 2 : snapshots.length - 1 - (i - 1) / 2]);
  const [first, ...rest] = order as (typeof snapshots)[number][];
  if (!first?.image) throw new Error('no snapshot to restore');
  // The first restore is undisturbed: it measures how long one takes.
  const t0 = Date.now();
  const baseline = await rig.admin.snapshots.restore.mutate({ snapshotId: first.id });
  expect((await rig.waitForJob(baseline.id)).state).toBe('succeeded');
  run.restoreMs = Date.now() - t0;
  expect(await sha256File(host.image)).toBe(first.image.sha);
  let current: { cells: string[] } = first.image;
  for (const [i, target] of rest.entries()) {
    const image = target.image as CellImage;
    const differ = differingCells(image, current);
    const fault: Fault =
      i < count && random.next() < 0.5
        ? {
            point:
              differ >= 2 && random.next() < 0.8 ? `restore:fetched:${random.int(1, differ - 1)}` : 'restore:finished',
          }
        : { delayMs: random.int(0, run.restoreMs) };
    const t = Date.now();
    const restore = () => rig.admin.snapshots.restore.mutate({ snapshotId: target.id });
    if (i < count) {
      const { done, where } = await runWithFault(run, fault, restore);
      run.rows.push(
        `  restore ${i + 1}: ${target.label}, ${differ} cells differ; ${describeFault(fault)}, ${where}; attempts ${done.attempts}; ${Date.now() - t} ms`,
      );
    } else {
      // A snapshot the trials did not reach is restored undisturbed.
      expect((await rig.waitForJob((await restore()).id)).state).toBe('succeeded');
    }
    expect(await sha256File(host.image), `${host.name}: restore of ${target.label}`).toBe(image.sha);
    current = image;
    await expectHostClean(host, 'poweroff');
  }
}

beforeAll(async () => {
  rig = await startRig();
  for (let h = 0; h < HOSTS; h++) {
    const random = seededRandom(`faults-agent-kill host ${h + 1}`, master.int(1, 2 ** 31 - 1));
    const host = await rig.addHost({ sizeMiB: 32, blocks: '0-3', rate: 0, writerSeed: random.int(1, 999_999) });
    runs.push({ host, random, snapshots: [], snapshotMs: 0, restoreMs: 0, rows: [] });
  }
  await Promise.all(
    runs.map(async (run) => {
      await run.host.guestWrites(8);
      const t = Date.now();
      const job = await rig.admin.snapshots.take.mutate({ vmUuid: run.host.vm, label: 'baseline' });
      const done = await rig.waitForJob(job.id);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      run.snapshotMs = Date.now() - t;
      run.snapshots.push({
        ...(await rig.admin.snapshots.get.query({ id: done.snapshotId as string })),
        label: 'baseline',
      });
      await run.host.setWriterRate(5);
      await startVm(run.host.vbox.run, run.host.vm);
    }),
  );
}, 180_000);
afterAll(async () => rig?.close());

describe('vrs-agent killed with SIGKILL mid-job, over the wifi lab link', () => {
  it(`snapshots of the running VM: ${TRIALS} trials, each job resumes and commits a consistent cut`, async () => {
    await Promise.all(runs.map((run) => snapshotTrials(run, TRIALS / HOSTS)));
    for (const run of runs) console.log(`${run.host.name}, agent kills during snapshots:\n${run.rows.join('\n')}`);
  }, 900_000);

  it(`restores in place: ${TRIALS} trials, each resumes and ends byte-exact; every snapshot restored`, async () => {
    for (const run of runs) run.rows = [];
    await Promise.all(runs.map((run) => restoreTrials(run, TRIALS / HOSTS)));
    for (const run of runs) console.log(`${run.host.name}, agent kills during restores:\n${run.rows.join('\n')}`);
  }, 900_000);

  it('leaves borg, the catalog, the hosts and the jobs in order', async () => {
    await rig.settle();
    await expectRepositoryConsistent(rig);
    for (const run of runs) await expectHostClean(run.host, 'poweroff');
    const jobs = await expectJobsTruthful(rig);
    const kinds = [...new Set(jobs.map((j) => `${j.kind} ${j.state}`))];
    console.log(
      `seed ${master.seed}; jobs: ${kinds.map((k) => `${jobs.filter((j) => `${j.kind} ${j.state}` === k).length} ${k}`).join(', ')}`,
    );
  }, 300_000);
});
