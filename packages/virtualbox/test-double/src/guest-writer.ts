/**
 * The guest writer: the stand-in for a running VM's guest. Spawned detached by `startvm` with the VM's
 * runtime directory as its only argument; writes whole blocks into the leaf image of each attached disk
 * and logs every completed write. It obeys the control file (reference: writer-control.ts) at write
 * boundaries only, so a hold acknowledged by it means no write is half done.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { VdiFile } from '@vrs/block-engine';
import { makeGuestBlock } from './guest-block.js';
import { sleep } from './sleep.js';
import { writeJsonAtomic } from './write-json-atomic.js';
import { readWriterControl, type WriterControl, type WriterStatus } from './writer-control.js';
import { writerFiles } from './writer-files.js';
import { lastLoggedSeq } from './writer-log.js';

interface OpenTarget {
  disk: string;
  file: VdiFile;
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: guest-writer <runtime-dir>\n');
  process.exit(2);
}
const files = writerFiles(dir);
let status: WriterStatus = { pid: process.pid, started: false, held: false, ackVersion: 0 };
let targets: OpenTarget[] = [];
let generation = -1;

async function report(change: Partial<WriterStatus>): Promise<void> {
  status = { ...status, ...change };
  await writeJsonAtomic(files.status, status);
}

async function openTargets(control: WriterControl): Promise<void> {
  for (const t of targets) await t.file.close();
  targets = [];
  for (const t of control.targets) targets.push({ disk: t.disk, file: await VdiFile.open(t.path, 'write') });
  generation = control.targetsGeneration;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

async function writeOne(control: WriterControl, seq: number, log: number): Promise<boolean> {
  if (targets.length === 0) return false;
  const h = mix(control.seed, seq);
  const target = targets[h % targets.length] as OpenTarget;
  const last = Math.min(control.last, target.file.header.blocks - 1);
  if (last < control.first) return false;
  const block = control.first + (mix(h, seq) % (last - control.first + 1));
  const data = makeGuestBlock(target.file.header.blockSize, { seq, block, seed: control.seed });
  await target.file.writeBlock(block, data);
  writeSync(log, `${seq} ${target.disk} ${block}\n`);
  return true;
}

async function main(): Promise<void> {
  const log = openSync(files.log, 'a');
  let seq = lastLoggedSeq(files.log);
  let nextWriteAt = 0;
  let failures = 0;
  await report({ started: true });
  for (;;) {
    const control = readWriterControl(dir as string);
    if (control === undefined) {
      await sleep(5);
      continue;
    }
    if (control.holds.length > 0) {
      if (!status.held || status.ackVersion !== control.version)
        await report({ held: true, ackVersion: control.version });
      await sleep(2);
      continue;
    }
    if (status.held || status.ackVersion !== control.version)
      await report({ held: false, ackVersion: control.version });
    if (control.shutdown) {
      for (const t of targets) await t.file.close();
      closeSync(log);
      await sleep(control.shutdownDelayMs);
      await report({ exitedAt: Date.now() });
      process.exit(0);
    }
    const now = Date.now();
    if (now < nextWriteAt) {
      await sleep(Math.min(5, nextWriteAt - now));
      continue;
    }
    let wrote: boolean;
    try {
      if (control.targetsGeneration !== generation) await openTargets(control);
      wrote = await writeOne(control, seq + 1, log);
      failures = 0;
    } catch (error) {
      // A disk error is reported and retried with the images reopened; only a persistent one ends the VM.
      process.stderr.write(`guest write failed: ${(error as Error).message}\n`);
      if (++failures > 100) throw error;
      generation = -1;
      wrote = false;
    }
    if (!wrote) {
      await sleep(20);
      continue;
    }
    seq += 1;
    nextWriteAt = control.rate > 0 ? Math.max(now, nextWriteAt) + 1000 / control.rate : 0;
    if (control.rate === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`guest writer failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
