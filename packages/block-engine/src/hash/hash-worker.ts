import { closeSync, openSync, readSync } from 'node:fs';
import { blake3 } from '@napi-rs/blake-hash';
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

let buffer = Buffer.alloc(0);

/**
 * Piscina entry point. Takes a task; reads each cell with positioned reads into one reused buffer (so a
 * worker holds at most one cell) and returns its hash and zero flag. Throws when the file is shorter
 * than a cell says.
 */
export default function hashCells(task: HashTask): HashResult {
  const fd = openSync(task.path, 'r');
  try {
    const hashes = new Uint8Array(task.cells.length * 32);
    const zero = new Uint8Array(task.cells.length);
    let bytes = 0;
    task.cells.forEach((cell, i) => {
      if (buffer.length < cell.length) buffer = Buffer.allocUnsafe(cell.length);
      const view = buffer.subarray(0, cell.length);
      let got = 0;
      while (got < cell.length) {
        const n = readSync(fd, view, got, cell.length - got, cell.offset + got);
        if (n === 0) throw new Error(`${task.path}: ended at ${cell.offset + got}, inside cell ${cell.index}`);
        got += n;
      }
      hashes.set(blake3(view), i * 32);
      zero[i] = isAllZero(view) ? 1 : 0;
      bytes += cell.length;
    });
    return { hashes, zero, bytes };
  } finally {
    closeSync(fd);
  }
}
