// Records a benchmark: writes bench/results/<name>.json and replaces the section between
// `<!-- bench:<name> -->` and `<!-- /bench:<name> -->` in docs/benchmarks.md with the given markdown.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Takes a benchmark name, its JSON result and its markdown section; writes both places. */
export function record(name, result, markdown) {
  const machine = { host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ name, at: new Date().toISOString(), machine, ...result }, null, 2)}\n`,
  );
  const docs = join(root, 'docs', 'benchmarks.md');
  let text;
  try {
    text = readFileSync(docs, 'utf8');
  } catch {
    text = '# Benchmarks\n\nEach section is written by its script; the command is given with it.\n';
  }
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${markdown.trim()}\n\nMachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${new Date().toISOString().slice(0, 16)}Z.\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  text =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + close.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(docs, text);
}
