// Server-side cost of a snapshot: vrs's mirror (stage the received cells, commit, `borg create` over the
// segment files) against a plain `borg create` of the image file with the same fixed chunker, in one run.
// Cases: the first snapshot of an 8 GiB VDI with ~3 GiB allocated (mixed content), then the same disk with
// 1% of its allocated blocks changed. Targets: first ≥ 0.9× plain throughput; 1% change ≤ 0.25× plain time.
// Usage: node bench/commit.mjs [--gib 3.5] [--change 0.01] [--dir DIR]
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { HashPool, hashImage, planDelta } from '@vrs/block-engine';
import { createArchive, initRepo } from '@vrs/borg';
import { archiveSnapshot, MirrorStore, stageFromFile } from '@vrs/repository-server';
import { changeBlocks, makeMixedVdi } from './lib/mixed-vdi.mjs';
import { record } from './lib/record.mjs';
import { timed } from './lib/time.mjs';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '3.5' },
    change: { type: 'string', default: '0.01' },
    dir: { type: 'string' },
  },
});
const root = values.dir ?? join(tmpdir(), 'vrs-bench-commit');
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const image = join(root, 'host', 'disk.vdi');
mkdirSync(dirname(image), { recursive: true });
console.log(`making an 8 GiB VDI with ${values.gib} GiB written (every 7th block left out) …`);
await makeMixedVdi(image, { diskSize: 8 * GIB, allocated: Number(values.gib) * GIB, seed: 42 });
const fileSize = statSync(image).size;

const repo = (name) => ({
  path: join(root, 'repos', name),
  passphraseFile: join(root, 'secrets', `${name}.passphrase`),
  cacheDir: join(root, 'cache'),
  baseDir: join(root, 'borg-base'),
});
mkdirSync(join(root, 'secrets'), { mode: 0o700 });
const vrsRepo = repo('vrs');
const plainRepo = repo('plain');
await initRepo(vrsRepo);
await initRepo(plainRepo);
const store = new MirrorStore(join(root, 'mirrors'));
const pool = new HashPool();
const vm = randomUUID();
const disk = randomUUID();
let archiveSecond = 0;
const at = () => new Date(Date.UTC(2026, 10, 28, 0, 0, archiveSecond++));

/** The server's part of a snapshot: stage the cells the host would send, commit, borg create. */
async function vrsSnapshot(label) {
  const { manifest } = await hashImage(image, { pool }); // host side: not timed below
  const plan = planDelta(manifest, await store.readManifest(vm, disk));
  const [, stageSeconds] = await timed(async () => {
    const session = store.session(vm, randomUUID());
    await stageFromFile(session, disk, image, manifest, plan.send);
    await store.commit(vm, session, [{ uuid: disk, manifest, references: plan.references }], { label });
  });
  const [stats, borgSeconds] = await timed(() =>
    archiveSnapshot(vrsRepo, store, vm, { label, blockSize: MIB, at: at() }),
  );
  return {
    cellsSent: plan.send.length,
    bytesSent: plan.sendBytes,
    stageSeconds,
    borgSeconds,
    seconds: stageSeconds + borgSeconds,
    deduplicatedSize: stats.deduplicatedSize,
  };
}

async function plainSnapshot() {
  const [stats, seconds] = await timed(() =>
    createArchive(plainRepo, {
      archive: `plain-${archiveSecond++}`,
      paths: [basename(image)],
      cwd: dirname(image),
      chunkerBlockSize: MIB,
      compression: 'lz4',
      filesCacheSuffix: 'plain',
    }),
  );
  return { seconds, deduplicatedSize: stats.deduplicatedSize };
}

const first = { vrs: await vrsSnapshot('first'), plain: await plainSnapshot() };
first.throughputRatio = first.plain.seconds / first.vrs.seconds;
console.log(
  `first: vrs ${first.vrs.seconds.toFixed(1)} s (stage+commit ${first.vrs.stageSeconds.toFixed(1)}, borg ${first.vrs.borgSeconds.toFixed(1)}), plain ${first.plain.seconds.toFixed(1)} s → throughput ratio ${first.throughputRatio.toFixed(2)}`,
);
const changed = await changeBlocks(image, Number(values.change), 7);
const second = { changedBlocks: changed.length, vrs: await vrsSnapshot('second'), plain: await plainSnapshot() };
second.timeRatio = second.vrs.seconds / second.plain.seconds;
console.log(
  `${(Number(values.change) * 100).toFixed(0)}% changed (${changed.length} blocks): vrs ${second.vrs.seconds.toFixed(2)} s (stage+commit ${second.vrs.stageSeconds.toFixed(2)}, borg ${second.vrs.borgSeconds.toFixed(2)}), plain ${second.plain.seconds.toFixed(1)} s → time ratio ${second.timeRatio.toFixed(3)}`,
);
await pool.close();

const pct = `${(Number(values.change) * 100).toFixed(0)}%`;
record(
  'commit',
  { image: { fileSize, diskSize: 8 * GIB }, first, second },
  `## Server commit and archive (\`node bench/commit.mjs\`)

Command: \`node bench/commit.mjs --gib ${values.gib} --change ${values.change}\`: an 8 GiB VDI with ${(fileSize / GIB).toFixed(2)} GiB in its file
(mixed random, text-like and sparse blocks). vrs = staging the cells the host sends (hash-verified, made durable by one syncfs),
the atomic commit, and \`borg create\` over the mirror's segment files; plain = \`borg create\` of the image file.
Both use \`--chunker-params fixed,1048576\` and lz4, on the same disk, in the same run.

| case | vrs (stage + commit / borg) | plain borg create | ratio | target |
|---|---|---|---|---|
| first snapshot | ${first.vrs.seconds.toFixed(1)} s (${first.vrs.stageSeconds.toFixed(1)} / ${first.vrs.borgSeconds.toFixed(1)}) | ${first.plain.seconds.toFixed(1)} s | throughput **${first.throughputRatio.toFixed(2)}×** | ≥ 0.9× |
| ${pct} of blocks changed (${changed.length}) | ${second.vrs.seconds.toFixed(2)} s (${second.vrs.stageSeconds.toFixed(2)} / ${second.vrs.borgSeconds.toFixed(2)}) | ${second.plain.seconds.toFixed(1)} s | time **${second.timeRatio.toFixed(3)}×** | ≤ 0.25× |`,
);
if (!values.dir) rmSync(root, { recursive: true, force: true });
