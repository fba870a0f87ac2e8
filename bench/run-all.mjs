// `pnpm bench`: runs every benchmark one after the other, each of which writes bench/results/<name>.json and its
// section of docs/benchmarks.md. Full size by default (about an hour on 2 cores, most of it the two benchmarks
// over the lab's wifi link); `--quick` runs them small (a few minutes, figures dominated by fixed costs).
// Needs root (network namespaces, btrfs loop mounts, drop_caches, cgroups).
// Usage: node bench/run-all.mjs [--quick] [--only hash,commit,…] [--skip seed-method,…]
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
/** Every benchmark, in the order they run, with its full-size and quick arguments. */
const BENCHMARKS = [
  { name: 'hash', full: ['--gib', '3', '--runs', '3'], quick: ['--gib', '0.5', '--runs', '1'] },
  { name: 'commit', full: ['--gib', '3.5', '--change', '0.01'], quick: ['--gib', '0.5', '--change', '0.01'] },
  { name: 'capture', full: ['--runs', '15'], quick: ['--runs', '3'] },
  { name: 'seed-method', full: ['--gib', '3.5', '--runs', '1'], quick: ['--gib', '0.5', '--runs', '1'] },
  { name: 'vrs-vs-seed', full: [], quick: ['--gib', '0.5', '--runs', '1'] },
];
const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, skip: { type: 'string' } },
});
const names = (list) => (list ? list.split(',').map((s) => s.trim()) : []);
const unknown = [...names(values.only), ...names(values.skip)].filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length)
  throw new Error(`no benchmark named ${unknown.join(', ')} (there are ${BENCHMARKS.map((b) => b.name).join(', ')})`);
const chosen = BENCHMARKS.filter(
  (b) => (!values.only || names(values.only).includes(b.name)) && !names(values.skip).includes(b.name),
);

let current = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    // The benchmark cleans up after itself on the same signal; wait for it, then end.
    if (current) current.kill(signal);
    else process.exit(1);
  });

/** Takes a benchmark; runs it with this process's stdio and returns its exit code (or signal). */
function run(benchmark) {
  const args = [join(here, `${benchmark.name}.mjs`), ...(values.quick ? benchmark.quick : benchmark.full)];
  return new Promise((resolve) => {
    current = spawn(process.execPath, args, { stdio: 'inherit' });
    current.on('close', (code, signal) => {
      current = null;
      resolve(code ?? signal);
    });
  });
}

const outcomes = [];
for (const benchmark of chosen) {
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  console.log(`\n=== bench ${benchmark.name} (load average ${load}) ===`);
  const started = Date.now();
  const code = await run(benchmark);
  outcomes.push({ name: benchmark.name, code, minutes: (Date.now() - started) / 60_000 });
  if (typeof code === 'string') break; // ended by a signal: stop here
}
console.log('\n=== bench summary ===');
for (const o of outcomes)
  console.log(`${o.name.padEnd(12)} ${o.code === 0 ? 'ok' : `failed (${o.code})`} in ${o.minutes.toFixed(1)} min`);
console.log('results: bench/results/*.json; sections of docs/benchmarks.md updated by each benchmark that succeeded');
process.exitCode = outcomes.every((o) => o.code === 0) && outcomes.length === chosen.length ? 0 : 1;
