// Hashing against reading: makes a multi-GiB VDI with mixed content, then in the same run times
// `cat FILE > /dev/null` and vrs's hash pool on it, warm (page cache) and cold (after drop_caches),
// and prints hash rate / read rate. Target: hashing never the bottleneck, ratio >= 0.8 on 2 cores.
// Usage: node bench/hash.mjs [--gib 3] [--runs 3] [--dir DIR] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HashPool, hashImage } from '@vrs/block-engine';
import { makeMixedVdi } from './lib/mixed-vdi.mjs';
import { record } from './lib/record.mjs';

const GIB = 1024 ** 3;
const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const allocated = Number(values.gib) * GIB;
const runs = Number(values.runs);
const dir = values.dir ?? join(tmpdir(), 'vrs-bench-hash');
mkdirSync(dir, { recursive: true });
const file = join(dir, `mixed-${values.gib}g.vdi`);

if (!existsSync(file)) {
  console.log(`making ${file}: ${values.gib} GiB allocated of an 8 GiB disk …`);
  await makeMixedVdi(file, { diskSize: 8 * GIB, allocated, seed: 42 });
}
const size = statSync(file).size;
const canDrop = (() => {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
})();

function dropCaches() {
  execFileSync('sync');
  writeFileSync('/proc/sys/vm/drop_caches', '3');
}

function timeCat() {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `cat "${file}" > /dev/null`]);
  if (r.status !== 0) throw new Error(`cat failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const pool = new HashPool();
async function timeHash() {
  const start = process.hrtime.bigint();
  await hashImage(file, { pool });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (s) => size / s / 1024 ** 2;
const results = {};
for (const mode of canDrop ? ['warm', 'cold'] : ['warm']) {
  const cat = [];
  const hash = [];
  if (mode === 'warm') timeCat();
  for (let i = 0; i < runs; i++) {
    if (mode === 'cold') dropCaches();
    cat.push(timeCat());
    if (mode === 'cold') dropCaches();
    hash.push(await timeHash());
  }
  results[mode] = {
    catSeconds: median(cat),
    hashSeconds: median(hash),
    catMiBps: rate(median(cat)),
    hashMiBps: rate(median(hash)),
    ratio: median(cat) / median(hash),
  };
  console.log(
    `${mode}: cat ${results[mode].catMiBps.toFixed(0)} MiB/s, hash ${results[mode].hashMiBps.toFixed(0)} MiB/s, ratio ${results[mode].ratio.toFixed(2)}`,
  );
}
await pool.close();
const maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS of the whole process (main thread + ${pool.workers} workers): ${maxRssMiB.toFixed(0)} MiB`);
if (!canDrop) console.log('cold runs skipped: /proc/sys/vm/drop_caches is not writable (run as root)');

const row = (m) =>
  `| ${m} | ${results[m].catMiBps.toFixed(0)} | ${results[m].hashMiBps.toFixed(0)} | **${results[m].ratio.toFixed(2)}** |`;
record(
  'hash',
  { file: { size, allocatedGiB: Number(values.gib) }, runs, workers: pool.workers, results, maxRssMiB },
  `## Hashing against reading (\`pnpm bench:hash\`)

Command: \`node bench/hash.mjs --gib ${values.gib} --runs ${runs}\`: a ${(size / GIB).toFixed(2)} GiB VDI (8 GiB disk, mixed content),
${pool.workers} hash workers, median of ${runs} runs. Ratio = hash rate / \`cat\` rate in the same run; target ≥ 0.8.

| cache | cat MiB/s | vrs hash MiB/s | ratio |
|---|---|---|---|
${Object.keys(results).map(row).join('\n')}

Peak RSS of the whole hashing process, workers included: ${maxRssMiB.toFixed(0)} MiB (each worker streams cells through one
128 KiB buffer, so cell data in flight is ${pool.workers} × 128 KiB whatever the disk size).`,
);
if (!values.keep && !values.dir) rmSync(dir, { recursive: true, force: true });
