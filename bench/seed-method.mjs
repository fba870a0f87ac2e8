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
// after lz4 at the throughput the full copy measured. Every timed step starts with cold caches (drop_caches).
// Usage: node bench/seed-method.mjs [--gib 3.5] [--runs 1] [--dir DIR] [--keep]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VdiFile } from '@vrs/block-engine';
import { ADDRESSES, withLab } from './lib/lab.mjs';
import { changeBlocks, makeMixedVdi } from './lib/mixed-vdi.mjs';
import { record } from './lib/record.mjs';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const FRACTIONS = [0.01, 0.05];
const BORG_PORT = 7001;
const RSYNC_PORT = 7002;
const COPY_PORT = 7003;
const { compressSync } = createRequire(import.meta.resolve('@vrs/protocol'))('lz4-napi');
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
const repo = path('storage', 'repo');
const mnt = path('storage', 'mnt');
const passphrase = 'seed-method-bench';

function unmount() {
  spawnSync('fusermount3', ['-u', '-z', mnt], { stdio: 'ignore' });
}
const canDrop = (() => {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
})();
function dropCaches() {
  if (!canDrop) return;
  execFileSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '3');
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const delta = (before, after) => ({
  up: after.host.txBytes - before.host.txBytes,
  down: after.storage.txBytes - before.storage.txBytes,
  total: after.host.txBytes - before.host.txBytes + (after.storage.txBytes - before.storage.txBytes),
});
const cpuOf = (...results) => Math.round(results.reduce((s, r) => s + (r.cpu?.total ?? Number.NaN), 0) * 100) / 100;

/** Takes an argv; runs it outside the lab (the event loop stays free for signals) and returns its exit code. */
function exitCode(command, args) {
  return new Promise((resolve, reject) => {
    spawn(command, args, { stdio: 'ignore' }).on('error', reject).on('close', resolve);
  });
}

/** Takes a path; returns the seconds `cat PATH > /dev/null` takes. */
function timeCat(file) {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'cat', file]);
  if (r.status !== 0) throw new Error(`cat ${file} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Takes the VDI and block indices; returns the bytes those blocks take after lz4 (raw when lz4 saves < 1/16). */
async function lz4Bytes(file, blocks) {
  const vdi = await VdiFile.open(file);
  let bytes = 0;
  try {
    for (const i of blocks) {
      const block = await vdi.readBlock(i);
      if (block.kind !== 'data') continue;
      const packed = compressSync(block.data).length;
      bytes += packed <= block.data.length - (block.data.length >> 4) ? packed : block.data.length;
    }
  } finally {
    await vdi.close();
  }
  return bytes;
}

async function main(lab) {
  const env = (side) => ({
    LANG: 'C',
    BORG_BASE_DIR: path(side, 'borg'),
    BORG_PASSPHRASE: passphrase,
    BORG_RSH: path('rsh.sh'),
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    VRS_RSH_PORT: String(BORG_PORT),
  });
  // The ssh stand-in: the remote command is fixed by the listener on storage, as a forced command would be;
  // it retries the connect until the listener (started just before) is up.
  writeFileSync(
    path('rsh.sh'),
    `#!/bin/sh\nexec socat - TCP:${ADDRESSES.storage}:"$VRS_RSH_PORT",retry=100,interval=0.05\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    path('storage', 'rsyncd.conf'),
    `use chroot = no\nuid = root\ngid = root\nlog file = ${path('storage', 'rsyncd.log')}\n[snap]\npath = ${mnt}\nread only = yes\n`,
  );
  await lab.run('storage', ['borg', 'init', '--encryption', 'repokey-blake2', repo], { env: env('storage') });

  /** One `borg serve --append-only` for one connection: socat execs it on the accepted socket. */
  const serve = () =>
    lab.spawn(
      'storage',
      [
        'socat',
        `TCP-LISTEN:${BORG_PORT},reuseaddr`,
        `EXEC:borg serve --append-only --restrict-to-repository ${repo},nofork`,
      ],
      { env: env('storage') },
    );

  async function snapshot(archive) {
    dropCaches();
    const server = serve();
    const before = lab.counters();
    const client = await lab.run(
      'host',
      [
        'borg',
        'create',
        '--json',
        '--chunker-params',
        'fixed,1048576',
        '--compression',
        'lz4',
        `ssh://storage${repo}::${archive}`,
        'disk.vdi',
      ],
      { cwd: path('host'), env: env('host') },
    );
    const after = lab.counters();
    const served = await server.done;
    const stats = JSON.parse(client.stdout).archive.stats;
    return {
      seconds: client.seconds,
      wire: delta(before, after),
      cpu: { host: cpuOf(client), storage: cpuOf(served) },
      deduplicatedSize: stats.deduplicated_size,
      compressedSize: stats.compressed_size,
    };
  }

  async function restore(archive) {
    await copyFile(base, basis);
    dropCaches();
    mkdirSync(mnt, { recursive: true });
    const before = lab.counters();
    const start = process.hrtime.bigint();
    const mount = lab.spawn('storage', ['borg', 'mount', '-f', `${repo}::${archive}`, mnt], { env: env('storage') });
    let mountSeconds = 0;
    try {
      for (let i = 0; i < 2400 && !existsSync(join(mnt, 'disk.vdi')); i++) {
        if (mount.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!existsSync(join(mnt, 'disk.vdi')))
        throw new Error(`borg mount did not show ${archive}/disk.vdi within 120 s`);
      mountSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      const server = lab.spawn(
        'storage',
        [
          'socat',
          `TCP-LISTEN:${RSYNC_PORT},reuseaddr`,
          `EXEC:rsync --server --daemon --config=${path('storage', 'rsyncd.conf')} .,nofork`,
        ],
        { env: env('storage') },
      );
      const client = await lab.run(
        'host',
        ['rsync', '--inplace', '--no-whole-file', '--stats', '-e', path('rsh.sh'), 'storage::snap/disk.vdi', basis],
        { env: { ...env('host'), VRS_RSH_PORT: String(RSYNC_PORT) } },
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const after = lab.counters();
      const served = await server.done;
      unmount();
      const mounted = await mount.done;
      if ((await exitCode('cmp', ['-s', basis, disk])) !== 0) throw new Error(`restore of ${archive} differs`);
      const literal = Number(/Literal data: ([\d,]+)/.exec(client.stdout)?.[1].replaceAll(',', '') ?? Number.NaN);
      return {
        seconds,
        mountSeconds,
        rsyncSeconds: client.seconds,
        wire: delta(before, after),
        literalBytes: literal,
        cpu: { host: cpuOf(client), storage: cpuOf(served, mounted) },
      };
    } finally {
      unmount();
      await mount.stop();
    }
  }

  async function fullCopy() {
    dropCaches();
    const target = path('storage', 'copy.vdi');
    const server = lab.spawn('storage', [
      'socat',
      '-u',
      `TCP-LISTEN:${COPY_PORT},reuseaddr`,
      `OPEN:${target},creat,trunc`,
    ]);
    const before = lab.counters();
    const client = await lab.run('host', [
      'socat',
      '-u',
      `OPEN:${disk}`,
      `TCP:${ADDRESSES.storage}:${COPY_PORT},retry=100,interval=0.1`,
    ]);
    const served = await server.done;
    const after = lab.counters();
    if (statSync(target).size !== statSync(disk).size) throw new Error('the full copy is short');
    rmSync(target);
    return {
      seconds: client.seconds,
      wire: delta(before, after),
      cpu: { host: cpuOf(client), storage: cpuOf(served) },
    };
  }

  const loadAtStart = loadavg()[0];
  await copyFile(base, disk);
  const fileSize = statSync(disk).size;
  console.log('initial archive over wifi …');
  const initial = await snapshot('initial');
  console.log(`  ${initial.seconds.toFixed(1)} s, ${(initial.wire.total / MIB).toFixed(0)} MiB on the wire`);
  console.log('full copy over wifi …');
  const copy = await fullCopy();
  const linkBytesPerSecond = fileSize / copy.seconds;
  console.log(`  ${copy.seconds.toFixed(1)} s: ${((linkBytesPerSecond * 8) / 1e6).toFixed(1)} Mbit/s of payload`);
  dropCaches();
  const catCold = timeCat(disk);
  timeCat(disk);
  const catWarm = timeCat(disk);

  const cases = [];
  for (const [k, fraction] of FRACTIONS.entries()) {
    const trials = [];
    for (let r = 0; r < runs; r++) {
      await copyFile(base, disk);
      const changed = await changeBlocks(disk, fraction, 100 * (k + 1) + r);
      const archive = `changed-${fraction}-${r}`;
      const lz4 = await lz4Bytes(disk, changed);
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
  unmount();
  if (!values.keep && !values.dir) rmSync(root, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
])
  process.on(signal, () => process.exit(code));
unmount();
if (!values.dir) rmSync(root, { recursive: true, force: true });
for (const side of ['host', 'storage']) mkdirSync(path(side), { recursive: true });
if (!existsSync(base)) {
  console.log(`making an 8 GiB VDI with ${values.gib} GiB written (every 7th block left out) …`);
  await makeMixedVdi(base, { diskSize: 8 * GIB, allocated: Number(values.gib) * GIB, seed: 42 });
}
rmSync(path('storage', 'repo'), { recursive: true, force: true });
rmSync(path('host', 'borg'), { recursive: true, force: true });
rmSync(path('storage', 'borg'), { recursive: true, force: true });
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
starts with cold caches${canDrop ? '' : ' (not here: drop_caches was not writable)'}. Wire = both directions of the veth, headers included;
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
