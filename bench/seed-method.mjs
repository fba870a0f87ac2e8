// The seed document's own method, measured over the lab's `wifi` link: the baseline vrs is compared against.
// An 8 GiB VDI with ~3 GiB allocated (mixed content) lives on the lab's host; the borg repository on storage.
//   snapshot: `borg create --chunker-params fixed,1048576 --compression lz4` on the host, through an ssh-like
//             pipe (BORG_RSH = socat over the veth) to `borg serve --append-only` on storage; first the initial
//             archive, then the image with 1% and 5% of its allocated blocks changed.
//   restore:  `borg mount` of that archive on storage, then `rsync --inplace --no-whole-file` of the image to
//             the host over the same link (rsync's daemon protocol through the same kind of pipe), onto the
//             older image as its basis.
//   plain:    a full copy of the image over the link (socat).
// Figures: wall time, bytes on the wire (veth counters), CPU seconds on each side (GNU time of every process).
// Physical limits in the same run: `cat` of the image, cold and warm, and the wire time of the changed blocks
// after lz4 at the throughput the full copy measured. Every timed step starts with cold caches (drop_caches, then
// `borg --version`, so that the data is cold but borg's own program files are not read from disk).
// The steps themselves are bench/lib/seed.mjs, which bench/vrs-vs-seed.mjs shares.
// Usage: node bench/seed-method.mjs [--gib 3.5] [--runs 1] [--dir DIR] [--keep]
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { canDropCaches, lz4Blocks, makeCold, timeCat } from './lib/cold.mjs';
import { withLab } from './lib/lab.mjs';
import { changeBlocks, makeMixedVdi } from './lib/mixed-vdi.mjs';
import { record } from './lib/record.mjs';
import { cloneFile, makeSeedMethod } from './lib/seed.mjs';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const FRACTIONS = [0.01, 0.05];
const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '3.5' },
    runs: { type: 'string', default: '1' },
    dir: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const runs = Number(values.runs);
if (!(runs >= 1 && runs <= 20)) throw new Error('--runs takes 1 to 20');
const root = values.dir ?? join(tmpdir(), 'vrs-bench-seed');
const path = (...parts) => join(root, ...parts);
const base = path('host', 'base.vdi'); // the image as first archived
const disk = path('host', 'disk.vdi'); // the VM's disk: base, then changed
const basis = path('host', 'restore.vdi'); // the host's older image that rsync restores onto
const canDrop = canDropCaches;
// Cold = the page cache dropped, then borg's own program files loaded again: every step meets cold data.
const cold = makeCold([['borg', '--version']]);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
let seed = null;

async function main(lab) {
  seed = makeSeedMethod(lab, { dir: path('seed'), image: disk, cold });
  await seed.init();
  const snapshot = (archive) => seed.snapshot(archive);
  const restore = (archive) => seed.restore(archive, { basis, from: base, expected: disk });
  const fullCopy = () => seed.fullCopy();

  const loadAtStart = loadavg()[0];
  await cloneFile(base, disk);
  const fileSize = statSync(disk).size;
  console.log('initial archive over wifi …');
  const initial = await snapshot('initial');
  console.log(`  ${initial.seconds.toFixed(1)} s, ${(initial.wire.total / MIB).toFixed(0)} MiB on the wire`);
  console.log('full copy over wifi …');
  const copy = await fullCopy();
  const linkBytesPerSecond = fileSize / copy.seconds;
  console.log(`  ${copy.seconds.toFixed(1)} s: ${((linkBytesPerSecond * 8) / 1e6).toFixed(1)} Mbit/s of payload`);
  cold();
  const catCold = timeCat(disk);
  timeCat(disk);
  const catWarm = timeCat(disk);

  const cases = [];
  for (const [k, fraction] of FRACTIONS.entries()) {
    const trials = [];
    for (let r = 0; r < runs; r++) {
      await cloneFile(base, disk);
      const changed = await changeBlocks(disk, fraction, 100 * (k + 1) + r);
      const archive = `changed-${fraction}-${r}`;
      const lz4 = (await lz4Blocks(disk, changed)).bytes;
      console.log(`${fraction * 100}% changed (${changed.length} blocks), run ${r + 1}/${runs}: snapshot …`);
      const snap = await snapshot(archive);
      console.log(`  ${snap.seconds.toFixed(1)} s; restore …`);
      const back = await restore(archive);
      console.log(`  ${back.seconds.toFixed(1)} s`);
      trials.push({ changedBlocks: changed.length, lz4Bytes: lz4, snapshot: snap, restore: back });
    }
    const pick = (f) => median(trials.map(f));
    const lz4 = pick((t) => t.lz4Bytes);
    cases.push({
      fraction,
      changedBlocks: trials[0].changedBlocks,
      lz4Bytes: lz4,
      lz4WireSeconds: lz4 / linkBytesPerSecond,
      snapshot: {
        seconds: pick((t) => t.snapshot.seconds),
        wireBytes: pick((t) => t.snapshot.wire.total),
        hostCpu: pick((t) => t.snapshot.cpu.host),
        storageCpu: pick((t) => t.snapshot.cpu.storage),
      },
      restore: {
        seconds: pick((t) => t.restore.seconds),
        mountSeconds: pick((t) => t.restore.mountSeconds),
        wireBytes: pick((t) => t.restore.wire.total),
        hostCpu: pick((t) => t.restore.cpu.host),
        storageCpu: pick((t) => t.restore.cpu.storage),
      },
      trials,
    });
  }
  const load = { start: loadAtStart, end: loadavg()[0] };
  return { fileSize, load, initial, copy, linkBytesPerSecond, catCold, catWarm, cases };
}

/** Leaves nothing behind, also when a signal ends the run (the lab tears itself down on exit too). */
function cleanUp() {
  seed?.unmount();
  if (!values.keep && !values.dir) rmSync(root, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
])
  process.on(signal, () => process.exit(code));
if (!values.dir) rmSync(root, { recursive: true, force: true });
for (const side of ['host', 'storage']) mkdirSync(path(side), { recursive: true });
if (!existsSync(base)) {
  console.log(`making an 8 GiB VDI with ${values.gib} GiB written (every 7th block left out) …`);
  await makeMixedVdi(base, { diskSize: 8 * GIB, allocated: Number(values.gib) * GIB, seed: 42 });
}
rmSync(path('seed'), { recursive: true, force: true });
let r;
try {
  r = await withLab({ profile: 'wifi' }, main);
} finally {
  cleanUp();
}

const gibs = (b) => (b / GIB).toFixed(2);
const mibs = (b) => (b / MIB).toFixed(1);
const s = (x) => x.toFixed(1);
const cpu = (x) => x.toFixed(1);
const row = (what, m, limit = '') =>
  `| ${what} | ${s(m.seconds)} | ${mibs(m.wireBytes ?? m.wire.total)} | ${cpu(m.hostCpu ?? m.cpu.host)} | ${cpu(m.storageCpu ?? m.cpu.storage)} | ${limit} |`;
const limitOf = (c) => Math.max(r.catCold, c.lz4WireSeconds);
const lines = r.cases.flatMap((c) => {
  const pct = `${c.fraction * 100}%`;
  return [
    row(`snapshot, ${pct} changed (${c.changedBlocks} blocks)`, c.snapshot, `${s(limitOf(c))} s`),
    row(
      `restore, ${pct} changed (borg mount ${s(c.restore.mountSeconds)} s + rsync)`,
      c.restore,
      `${s(c.lz4WireSeconds)} s`,
    ),
  ];
});
console.log(lines.join('\n'));
record(
  'seed-method',
  {
    image: { fileSize: r.fileSize, diskSize: 8 * GIB, allocatedGiB: Number(values.gib) },
    runs,
    link: 'wifi',
    canDropCaches: canDrop,
    ...Object.fromEntries(Object.entries(r).filter(([key]) => key !== 'fileSize')),
  },
  `## The seed's method over the lab's wifi link (\`node bench/seed-method.mjs\`)

Command: \`node bench/seed-method.mjs --gib ${values.gib} --runs ${runs}\`: an 8 GiB VDI with ${gibs(r.fileSize)} GiB in its file
(mixed random, text-like and sparse blocks) on the lab's host, the borg repository (repokey-blake2) on storage, over
\`wifi\` (50 Mbit/s, 5 ms and 0.1% loss each way; see infra/lab/README.md). Snapshot = \`borg create --chunker-params
fixed,1048576 --compression lz4\` on the host through BORG_RSH (socat over the veth) to \`borg serve --append-only\`;
restore = \`borg mount\` of that archive on storage, then \`rsync --inplace --no-whole-file\` of the image onto the
host's older copy (rsync's daemon protocol through the same kind of pipe), checked byte-identical. Every timed step
starts with cold caches${canDrop ? " (drop_caches, then `borg --version` so that borg's own program files are in memory)" : ' (not here: drop_caches was not writable)'}. Wire = both directions of the veth, headers included;
CPU = user + system seconds of every process on that side (GNU time). ${runs > 1 ? `Medians of ${runs} runs.` : 'One run.'}

| what | wall s | wire MiB | host CPU s | storage CPU s | physical limit |
|---|---|---|---|---|---|
${row('initial archive', r.initial)}
${row('plain full copy (socat)', r.copy)}
${lines.join('\n')}

Physical limits in the same run: \`cat\` of the image ${s(r.catCold)} s cold, ${r.catWarm.toFixed(2)} s warm; the full copy moved
${((r.linkBytesPerSecond * 8) / 1e6).toFixed(1)} Mbit/s of payload, so the changed blocks after lz4
(${r.cases.map((c) => `${c.fraction * 100}%: ${mibs(c.lz4Bytes)} MiB, ${s(c.lz4WireSeconds)} s`).join('; ')}) set the wire limit.
A snapshot's limit is the larger of the cold read and that wire time; a restore's is that wire time.
The machine is shared: its 1-minute load average was ${r.load.start.toFixed(1)} at the start and ${r.load.end.toFixed(1)} at the end.`,
);
