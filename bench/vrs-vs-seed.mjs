// vrs against the seed document's own method, in one run, on the same images and the same lab link (`wifi`:
// 50 Mbit/s, 5 ms and 0.1% loss each way). vrs-server runs in the lab's storage namespace, vrs-agent in the host
// namespace with the VM on the VirtualBox test double; the VM's folder is a btrfs subvolume on a loop mount.
//   images:    an 8 GiB VDI with ~3 GiB in its file (mixed content, bench/lib/mixed-vdi.mjs); blocks are changed
//              with the VDI writer while the VM is powered off (offline captures), 1% then 5% more on top.
//   snapshot:  `vrs snapshot bench --wait` against the seed's `borg create` over an ssh-like pipe to
//              `borg serve --append-only` (bench/lib/seed.mjs), of the same file in the same state.
//   restore:   the disk reset to the first image, then `vrs restore bench SNAPSHOT --wait` against the seed's
//              `borg mount` + `rsync --inplace` of the same archive onto the same image; both checked with cmp.
//   scaling:   restores of the same older snapshot (served by `borg extract`) with 3 and with N snapshots.
//   providers: the freeze window of each capture provider on a two-disk VM whose guest writes (offline,
//              reflink, btrfs-snapshot, vbox-transient, savestate), from the agent's report and the guest's
//              longest write gap.
// Figures: wall time, bytes on the wire (veth counters, both ways), CPU seconds per side (cgroups: vrs-agent and
// the double's processes on the host, vrs-server and borg on storage; the seed's processes likewise). Physical
// limits in the same run: `cat` of the image cold and warm, and the link's time for the lz4'd changed blocks.
// Every timed step starts cold (page cache dropped, then the tools' own files loaded: bench/lib/cold.mjs).
// Usage: node bench/vrs-vs-seed.mjs [--gib 3.5] [--snapshots 30] [--runs 3] [--dir DIR]
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HashPool, hashImage } from '@vrs/block-engine';
import { encodeManifest } from '@vrs/protocol';
import { makeBenchSetting, say } from './lib/bench-vm.mjs';
import { canDropCaches, lz4Blocks, makeCold, timeCat } from './lib/cold.mjs';
import { cpuDelta, cpuReader } from './lib/cpu-group.mjs';
import { watchGuestWrites } from './lib/guest-gaps.mjs';
import { shellQuote as q } from './lib/janitor.mjs';
import { LAB_SCRIPT, withLab } from './lib/lab.mjs';
import { changeBlocks, makeMixedVdi } from './lib/mixed-vdi.mjs';
import { record } from './lib/record.mjs';
import { cloneFile, exitCode, makeSeedMethod, timeOnLink, wireDelta } from './lib/seed.mjs';
import { BIN, startVrsStack, until } from './lib/vrs-stack.mjs';
import { evaluateTargets, renderReport } from './lib/vrs-vs-seed-report.mjs';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const PROVIDERS = ['reflink', 'btrfs-snapshot', 'vbox-transient', 'savestate'];
const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '3.5' },
    snapshots: { type: 'string', default: '30' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
  },
});
const gib = Number(values.gib);
const snapshotsTotal = Number(values.snapshots);
const runs = Number(values.runs);
if (!(gib >= 0.1 && gib <= 6)) throw new Error('--gib takes 0.1 to 6 (GiB of the virtual disk written)');
if (!(snapshotsTotal >= 4 && snapshotsTotal <= 60)) throw new Error('--snapshots takes 4 to 60');
if (!(runs >= 1 && runs <= 10)) throw new Error('--runs takes 1 to 10');
const setting = makeBenchSetting({
  name: 'vs-seed',
  gib,
  cacheDir: values.dir,
  groups: ['agent', 'double', 'server', 'seedHost', 'seedStorage'],
});
const { janitor, work, groups, at, images, disk, vboxHome, vboxEnv, vbox } = setting;
const readCpu = cpuReader(groups);
const disk2 = at('vms', 'bench', 'bench-2.vdi');
const cold = makeCold([
  ['borg', '--version'],
  [process.execPath, BIN.cli, '--version'],
]);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const since = (t0) => (performance.now() - t0) / 1000;

/**
 * Takes the lab and the stack; returns a runner that measures a step: { value, seconds, wire, cpu: seconds per
 * CPU group plus host (agent + double) and storage (server), transfer: the server's transfer-byte counters }.
 */
function makeMeasure(lab, stack) {
  return async (step) => {
    const m0 = await stack.metrics();
    const c0 = readCpu();
    const n0 = lab.counters();
    const t0 = performance.now();
    const value = await step();
    const seconds = since(t0);
    const n1 = lab.counters();
    const c1 = readCpu();
    const m1 = await stack.metrics();
    const cpu = cpuDelta(c0, c1);
    return {
      value,
      seconds,
      wire: wireDelta(n0, n1),
      cpu: { ...cpu, host: cpu.agent + cpu.double, storage: cpu.server },
      transfer: { in: m1.in - m0.in, out: m1.out - m0.out },
    };
  };
}

/** Takes the VM's file paths; returns the bytes their manifests take (what a restore fetches besides cells). */
async function manifestBytes(pool, files) {
  let bytes = 0;
  for (const file of files) bytes += encodeManifest((await hashImage(file, { pool })).manifest).byteLength;
  return bytes;
}

async function main(lab) {
  janitor.add(`bash ${q(LAB_SCRIPT)} --id ${q(lab.id)} down`, { first: true });
  const loadAtStart = loadavg();
  const vmUuid = await setting.makeVm();
  const vboxFile = at('vms', 'bench', 'bench.vbox');
  say('starting vrs-server (storage), vrs-agent (host) and logging the CLI in …');
  const stack = await startVrsStack(lab, { dir: join(work, 'vrs'), vboxHome, groups });
  await until(
    'the agent to report the VM',
    async () => (await stack.cli(['vms'])).value?.some((v) => v.name === 'bench'),
    120_000,
  );
  // No scheduled snapshot may fire during the run: a once-a-year schedule (retention as the default's).
  await stack.cli(['policy', 'set', 'bench', '--schedule', '0 0 1 1 *']);
  await stack.settle();
  if ((await stack.cli(['snapshots', 'bench'])).value?.length)
    throw new Error('a scheduled snapshot ran before the benchmark could stop the schedule; run it again');
  const measure = makeMeasure(lab, stack);
  const seedDir = join(work, 'seed');
  const seed = makeSeedMethod(lab, {
    dir: seedDir,
    image: disk,
    cold,
    groups: { host: groups.seedHost, storage: groups.seedStorage },
  });
  janitor.add(`fusermount3 -u -z ${q(seed.mnt)}`, { first: true });
  await seed.init();
  const pool = new HashPool();
  const limitsDir = join(work, 'limits');
  mkdirSync(limitsDir, { recursive: true });

  const snapshotEvent = (jobId) => stack.events.find((e) => e.msg === 'captured' && e.job === jobId) ?? null;
  const jobFigures = (r) => ({
    seconds: r.seconds,
    jobSeconds: (Date.parse(r.value.job.finishedAt) - Date.parse(r.value.job.startedAt)) / 1000,
    queuedSeconds: (Date.parse(r.value.job.startedAt) - Date.parse(r.value.job.createdAt)) / 1000,
    wire: r.wire,
    cpu: r.cpu,
    transfer: r.transfer,
    bytesSent: r.value.job.progress.bytesSent,
  });
  /** A `vrs snapshot`; `watch(job)` runs around the job alone (the guest-gap watcher must not see our sync calls). */
  const vrsSnapshot = async (label, { isCold = true, watch = (job) => job() } = {}) => {
    if (isCold) cold();
    const r = await measure(() => watch(() => stack.job(['snapshot', 'bench', '--label', label])));
    const captured = snapshotEvent(r.value.job.id);
    // The prune each snapshot queues runs after it: measured on its own, outside the snapshot's figures.
    const after = await measure(() => stack.settle());
    return {
      ...jobFigures(r),
      followUp: {
        seconds: after.value.seconds,
        jobs: after.value.jobs,
        storageCpu: after.cpu.storage,
        hostCpu: after.cpu.host,
      },
      snapshotId: r.value.job.snapshotId,
      method: captured?.method ?? null,
      pausedMs: captured?.pausedMs ?? null,
    };
  };
  const vrsRestore = async (snapshotId, expected) => {
    await cloneFile(images.base, disk);
    cold();
    const r = await measure(() => stack.job(['restore', 'bench', snapshotId]));
    await stack.settle();
    if ((await exitCode('cmp', ['-s', disk, expected])) !== 0) throw new Error(`vrs restore of ${snapshotId} differs`);
    return jobFigures(r);
  };
  /** Restores a snapshot onto the disk as it is (not measured): puts the disk and the mirror in a known state. */
  const resetTo = async (snapshotId, expected) => {
    await stack.job(['restore', 'bench', snapshotId]);
    await stack.settle();
    if ((await exitCode('cmp', ['-s', disk, expected])) !== 0) throw new Error(`vrs restore of ${snapshotId} differs`);
  };
  /** A seed step: its own wall time and wire bytes (it drops caches itself), CPU from the seed's cgroups. */
  const seedStep = async (step) => {
    const r = await measure(step);
    return {
      ...r.value,
      cpu: { host: r.cpu.seedHost, storage: r.cpu.seedStorage },
      gnuTimeCpu: r.value.cpu,
      outerSeconds: r.seconds,
    };
  };
  const limitsOf = async (name, image, blocks) => {
    const { bytes, blob } = await lz4Blocks(image, blocks);
    const file = join(limitsDir, `${name}.lz4`);
    writeFileSync(file, blob);
    const link = await timeOnLink(lab, file);
    return { blocks: blocks.length, lz4Bytes: bytes, wireSeconds: link.seconds, wire: link.wire };
  };
  const catNow = () => {
    cold();
    const catCold = timeCat(disk);
    timeCat(disk);
    return { catCold, catWarm: timeCat(disk) };
  };

  say('idle: 20 s of nothing, for the CPU the agent and server use when no job runs …');
  const idle0 = readCpu();
  await new Promise((r) => setTimeout(r, 20_000));
  const idle = Object.fromEntries(Object.entries(cpuDelta(idle0, readCpu())).map(([k, v]) => [k, v / 20]));

  say('initial snapshot (everything is new) …');
  const initial = { vrs: await vrsSnapshot('initial') };
  say(`  vrs ${initial.vrs.seconds.toFixed(1)} s; the seed's initial archive …`);
  initial.seed = await seedStep(() => seed.snapshot('initial'));
  say(`  seed ${initial.seed.seconds.toFixed(1)} s`);
  const snapshots = [{ label: 'initial', id: initial.vrs.snapshotId }];

  const cases = [];
  const changedSoFar = [];
  for (const [k, fraction] of [0.01, 0.05].entries()) {
    const pct = `${fraction * 100}%`;
    const changed = await changeBlocks(disk, fraction, 100 * (k + 1) + 1);
    changedSoFar.push(...changed);
    const expected = k === 0 ? images.s1 : images.s2;
    await cloneFile(disk, expected);
    const phys = { ...catNow(), snapshot: await limitsOf(`snapshot-${k}`, disk, changed) };
    say(`${pct} changed (${changed.length} blocks): vrs snapshot …`);
    const vrsSnap = await vrsSnapshot(`changed-${pct}`);
    snapshots.push({ label: `changed-${pct}`, id: vrsSnap.snapshotId });
    say(`  vrs ${vrsSnap.seconds.toFixed(1)} s; seed borg create …`);
    const seedSnap = await seedStep(() => seed.snapshot(`changed-${k}`));
    say(`  seed ${seedSnap.seconds.toFixed(1)} s; vrs restore onto the first image …`);
    const differing = [...new Set(changedSoFar)].sort((a, b) => a - b);
    phys.restore = await limitsOf(`restore-${k}`, expected, differing);
    phys.manifestBytes = await manifestBytes(pool, [expected, vboxFile]);
    const vrsBack = await vrsRestore(vrsSnap.snapshotId, expected);
    say(`  vrs ${vrsBack.seconds.toFixed(1)} s; seed borg mount + rsync …`);
    const seedBack = await seedStep(() =>
      seed.restore(`changed-${k}`, { basis: at('images', 'seed-basis.vdi'), from: images.base, expected }),
    );
    say(`  seed ${seedBack.seconds.toFixed(1)} s`);
    cases.push({
      fraction,
      changedBlocks: changed.length,
      physical: phys,
      vrs: { snapshot: vrsSnap, restore: vrsBack },
      seed: { snapshot: seedSnap, restore: seedBack },
    });
  }

  // Scaling: the same older snapshot (S1, borg extract) restored onto the first image, `runs` times with 3
  // snapshots and `runs` times with N. Between runs a restore of the newest snapshot (not measured) puts the
  // mirror back on it, so every measured run has the same work: the same cells from borg to the agent, and a
  // rebase of the mirror from the newest back to S1 (c5's cells at 3, the extra snapshots' cells at N).
  const older = snapshots[1];
  const olderRuns = async (newest) => {
    const measured = [];
    for (let r = 0; r < runs; r++) {
      measured.push(await vrsRestore(older.id, images.s1));
      await resetTo(newest.id, newest.image);
    }
    const pick = (f) => median(measured.map(f));
    return {
      count: snapshots.length,
      seconds: pick((m) => m.seconds),
      jobSeconds: pick((m) => m.jobSeconds),
      wire: { total: pick((m) => m.wire.total) },
      cpu: { host: pick((m) => m.cpu.host), storage: pick((m) => m.cpu.storage) },
      runs: measured,
    };
  };
  say(`scaling: restores of an older snapshot (${older.label}) with ${snapshots.length} snapshots, ${runs}× …`);
  const scaling = { snapshot: older.label, few: await olderRuns({ id: snapshots[2].id, image: images.s2 }) };
  say(
    `  ${scaling.few.runs.map((m) => m.seconds.toFixed(1)).join(', ')} s; ${snapshotsTotal - snapshots.length} more snapshots …`,
  );
  await resetTo(older.id, images.s1); // the extra snapshots change S1, as c5 did
  const extra = [];
  for (let i = snapshots.length; i < snapshotsTotal; i++) {
    await changeBlocks(disk, 0.002, 300 + i);
    const s = await vrsSnapshot(`extra-${i}`, { isCold: false });
    snapshots.push({ label: `extra-${i}`, id: s.snapshotId });
    extra.push(s.seconds);
  }
  const last = { id: snapshots.at(-1).id, image: at('images', 'last.vdi') };
  await cloneFile(disk, last.image);
  scaling.extraSnapshotSeconds = { median: median(extra), max: Math.max(...extra) };
  scaling.many = await olderRuns(last);
  say(`  with ${snapshots.length}: ${scaling.many.runs.map((m) => m.seconds.toFixed(1)).join(', ')} s`);

  const providers = await measureProviders(lab, stack, vmUuid, vrsSnapshot);
  await pool.close();
  await stack.stop();
  return {
    fileSize: statSync(images.base).size,
    load: { start: loadAtStart, end: loadavg() },
    idleCpuPerSecond: idle,
    initial,
    cases,
    scaling,
    providers,
  };
}

/**
 * Takes the lab, the stack, the VM and the snapshot step; adds a second disk, then measures every provider's
 * freeze window: offline (powered off, nothing changed), then the live ones with the guest writer running.
 */
async function measureProviders(lab, stack, vmUuid, vrsSnapshot) {
  say('providers: a second disk (two-disk VM), first snapshot of it …');
  await makeMixedVdi(disk2, { diskSize: GIB, allocated: 32 * MIB, seed: 43 });
  setting.attach(1, disk2);
  await vrsSnapshot('two-disks', { isCold: false });
  const rows = [];
  const offline = [];
  for (let r = 0; r < runs; r++) offline.push(await vrsSnapshot(`offline-${r}`, { isCold: false }));
  rows.push({ method: 'offline', runs: offline, guestGapMs: null });
  vbox('setextradata', 'bench', 'vrs-double/guest-writer', 'rate=20,seed=5,blocks=0-15');
  await lab.run('host', [BIN.vboxmanage, 'startvm', 'bench', '--type', 'headless'], { env: vboxEnv });
  // The double's VBoxManage round trip (a Node start): the pause of reflink and btrfs-snapshot holds one.
  const roundTrips = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await exitCode(BIN.vboxmanage, ['--version']);
    roundTrips.push(performance.now() - t0);
  }
  const writes = watchGuestWrites(join(vboxHome, 'runtime', vmUuid, 'writer.log'));
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const quiet = writes.mark();
    await new Promise((r) => setTimeout(r, 5000));
    const baseline = writes.gapsSince(quiet);
    for (const method of PROVIDERS) {
      await stack.setCaptureMethod(vmUuid, method);
      const taken = [];
      for (let r = 0; r < runs; r++) {
        let guest = null;
        const s = await vrsSnapshot(`${method}-${r}`, {
          isCold: false,
          watch: async (job) => {
            const from = writes.mark();
            const done = await job();
            guest = writes.gapsSince(from);
            return done;
          },
        });
        taken.push({ ...s, guest });
      }
      say(
        `  ${method}: pause ${taken.map((t) => t.pausedMs?.toFixed(0)).join(', ')} ms; longest guest gap ${taken.map((t) => t.guest.longestMs.toFixed(0)).join(', ')} ms`,
      );
      rows.push({ method, runs: taken });
    }
    await stack.setCaptureMethod(vmUuid, null);
    return {
      baselineGuestGapMs: baseline.longestMs,
      baselineWrites: baseline.writes,
      writerRate: 20,
      vboxRoundTripMs: median(roundTrips),
      rows,
    };
  } finally {
    writes.stop();
    vbox('controlvm', 'bench', 'poweroff');
  }
}

const result = await withLab({ profile: 'wifi' }, main);
const command = `node bench/vrs-vs-seed.mjs --gib ${gib} --snapshots ${snapshotsTotal} --runs ${runs}`;
const targets = evaluateTargets(result);
const markdown = renderReport({ result, targets, command, canDropCaches });
console.log(markdown);
record(
  'vrs-vs-seed',
  {
    command,
    image: { fileSize: result.fileSize, diskSize: 8 * GIB, allocatedGiB: gib },
    link: 'wifi',
    canDropCaches,
    targets,
    ...result,
  },
  markdown,
);
janitor.run();
