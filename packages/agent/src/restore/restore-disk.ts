import { type FileHandle, open, stat } from 'node:fs/promises';
import { blake3 } from '@napi-rs/blake-hash';
import { type HashPool, hashImage, planDelta } from '@vrs/block-engine';
import {
  cellCount,
  cellHash,
  cellRange,
  createManifest,
  encodeManifest,
  equalBytes,
  isZeroCell,
  type Manifest,
  setCell,
  VrsError,
} from '@vrs/protocol';
import { orderReferences } from './order-references.js';
import { RestoreJournal } from './restore-journal.js';

/** Where the cells to restore come from: the server over the network, or anything that yields verified-later bytes. */
export interface CellSource {
  cells(positions: readonly number[]): AsyncIterable<{ position: number; bytes: Uint8Array }>;
}

/** What one disk's restore did. Counts are cells; `fetchedBytes` is what the source had to send. */
export interface RestoreReport {
  alreadyVerified: number;
  hashed: number;
  unchanged: number;
  copiedLocally: number;
  zeroed: number;
  fetched: number;
  fetchedBytes: number;
}

/** Options of `restoreDisk`. */
export interface RestoreDiskOptions {
  job: string;
  path: string;
  target: Manifest;
  journalPath: string;
  source: CellSource;
  pool?: HashPool;
  /** fsync and journal after this many bytes written (default 64 MiB). */
  batchBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Takes a local image file, the snapshot's manifest of it and a source of cells; makes the file equal to
 * the snapshot, moving only what differs: unchanged cells are left, cells the file holds elsewhere are
 * copied locally, zero cells are zeroed, and only the rest are fetched. Every cell is checked against the
 * target hash before it is written; writes are fsynced in batches and journaled, so a restore killed at
 * any point resumes without re-fetching or re-hashing what was verified. Sets the final length. Throws
 * BLOCK_HASH_MISMATCH (nothing written for that cell) or the source's and the file system's errors.
 */
export async function restoreDisk(o: RestoreDiskOptions): Promise<RestoreReport> {
  const target = o.target;
  const journal = await RestoreJournal.open(o.journalPath, {
    job: o.job,
    path: o.path,
    target: Buffer.from(blake3(encodeManifest(target))).toString('hex'),
  });
  const report: RestoreReport = {
    alreadyVerified: journal.verified.size,
    hashed: 0,
    unchanged: 0,
    copiedLocally: 0,
    zeroed: 0,
    fetched: 0,
    fetchedBytes: 0,
  };
  // Create the file if it is missing (restore as a new VM), then open it for positioned writes.
  await (await open(o.path, 'a')).close();
  const handle = await open(o.path, 'r+');
  try {
    if (journal.complete) return report;
    const basis = await hashBasis(o, journal, report);
    const plan = planDelta(target, basis);
    report.unchanged = plan.unchanged.filter((p) => !journal.verified.has(p)).length;
    await journal.markVerified(plan.unchanged.filter((p) => !journal.verified.has(p)));
    const writer = new BatchedWriter(handle, target, journal, o.batchBytes ?? 64 * 1024 * 1024);
    const kept = new Map<number, Buffer>();
    for (const step of orderReferences(plan.references)) {
      if (step.kind === 'keep') {
        kept.set(step.position, await readCell(handle, target, step.position));
        continue;
      }
      await writer.write(step.position, kept.get(step.source) ?? (await readCell(handle, target, step.source)));
      report.copiedLocally++;
    }
    for (const position of plan.zero) {
      await writer.write(position, new Uint8Array(cellRange(target.grid, position).length));
      report.zeroed++;
    }
    const total = plan.send.length;
    for await (const cell of o.source.cells(plan.send)) {
      report.fetched++;
      report.fetchedBytes += cell.bytes.length;
      await writer.write(cell.position, cell.bytes);
      o.onProgress?.(report.fetched, total);
    }
    await writer.flush();
    const missing = plan.send.filter((p) => !journal.verified.has(p));
    if (missing.length > 0)
      throw new VrsError(
        'MIRROR_INCOMPLETE',
        `the source did not send ${missing.length} cells (first: ${missing.slice(0, 8).join(', ')})`,
      );
    await handle.truncate(target.grid.fileSize);
    await handle.sync();
    await journal.markComplete();
    return report;
  } finally {
    await handle.close();
  }
}

/** The file's current content on the target's grid: journaled cells as the target, the others hashed now. */
async function hashBasis(o: RestoreDiskOptions, journal: RestoreJournal, report: RestoreReport): Promise<Manifest> {
  const size = await stat(o.path).then(
    (s) => s.size,
    () => 0,
  );
  const basis = createManifest(o.target.grid);
  // The file as it is now, cut on the target's grid so that positions line up.
  const current = { ...o.target.grid, fileSize: size };
  const present = size >= o.target.grid.headerLength ? cellCount(current) : 0;
  const toHash: number[] = [];
  for (let i = 0; i < cellCount(o.target.grid); i++) {
    if (journal.verified.has(i)) setCell(basis, i, cellHash(o.target, i), isZeroCell(o.target, i));
    else if (i < present) toHash.push(i);
  }
  if (toHash.length > 0) {
    const layout = { path: o.path, format: 'raw' as const, grid: current };
    const { manifest } = await hashImage(o.path, { layout, cells: toHash, ...(o.pool ? { pool: o.pool } : {}) });
    for (const i of toHash) {
      // A cell cut short by the current file's end must not look like the full target cell.
      const whole = cellRange(current, i).length === cellRange(o.target.grid, i).length;
      setCell(basis, i, whole ? cellHash(manifest, i) : new Uint8Array(32), whole && isZeroCell(manifest, i));
    }
    report.hashed = toHash.length;
  }
  return basis;
}

async function readCell(handle: FileHandle, grid: Manifest, position: number): Promise<Buffer> {
  const { offset, length } = cellRange(grid.grid, position);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, offset);
  return buffer;
}

/** Positioned writes, each verified against the target first; fsync + journal every `batchBytes`. */
class BatchedWriter {
  private pending: number[] = [];
  private bytes = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly target: Manifest,
    private readonly journal: RestoreJournal,
    private readonly batchBytes: number,
  ) {}

  async write(position: number, bytes: Uint8Array): Promise<void> {
    const { offset, length } = cellRange(this.target.grid, position);
    if (bytes.length !== length || !equalBytes(blake3(bytes), cellHash(this.target, position))) {
      throw new VrsError('BLOCK_HASH_MISMATCH', `cell ${position} does not match the snapshot; it was not written`);
    }
    await this.handle.write(bytes, 0, length, offset);
    this.pending.push(position);
    this.bytes += length;
    if (this.bytes >= this.batchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.handle.datasync();
    await this.journal.markVerified(this.pending);
    this.pending = [];
    this.bytes = 0;
  }
}
