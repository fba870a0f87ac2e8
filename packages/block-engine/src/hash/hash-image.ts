import { cellCount, cellRange, createManifest, type Manifest, setCell } from '@vrs/protocol';
import { detectGrid, type ImageLayout } from '../grid/detect-grid.js';
import { ImageError } from '../image-error.js';
import { HashPool } from './hash-pool.js';
import type { HashTask } from './hash-worker.js';

/** Progress of a hash run. */
export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
  cellsDone: number;
  cellsTotal: number;
}

/** Options of `hashImage`. */
export interface HashImageOptions {
  /** A shared pool; without one a pool is made for this call and closed after it. */
  pool?: HashPool;
  /** The layout, if already detected. */
  layout?: ImageLayout;
  /** Hash only these cells (e.g. a resumed restore); the others keep zero hashes. */
  cells?: readonly number[];
  /** Bytes of cells per task (default 8 MiB): bigger tasks, fewer messages. */
  batchBytes?: number;
  onProgress?: (progress: HashProgress) => void;
  /** Called with the cell indices of each finished task, once their hashes are in the manifest. */
  onCells?: (cells: number[], manifest: Manifest) => void;
  signal?: AbortSignal;
}

/**
 * Takes an image path; returns its layout and manifest (the BLAKE3 hash and zero flag of every cell).
 * Memory stays bounded whatever the disk size: each worker streams its cells through one 128 KiB buffer,
 * and at most one task per worker is outstanding. Throws ImageError for unreadable, corrupt or shrinking files.
 */
export async function hashImage(
  path: string,
  options: HashImageOptions = {},
): Promise<{ layout: ImageLayout; manifest: Manifest }> {
  const layout = options.layout ?? (await detectGrid(path));
  const manifest = createManifest(layout.grid);
  const indices = options.cells ?? Array.from({ length: cellCount(layout.grid) }, (_, i) => i);
  const tasks = makeTasks(path, layout, indices, options.batchBytes ?? 8 * 1024 * 1024);
  const pool = options.pool ?? new HashPool();
  const progress: HashProgress = {
    bytesDone: 0,
    bytesTotal: tasks.reduce((sum, t) => sum + t.cells.reduce((s, c) => s + c.length, 0), 0),
    cellsDone: 0,
    cellsTotal: indices.length,
  };
  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as HashTask;
      const result = await pool.run(task, options.signal).catch((cause: unknown) => {
        if (options.signal?.aborted) throw cause;
        throw new ImageError('IMAGE_UNREADABLE', path, `hashing failed: ${(cause as Error).message}`, cause);
      });
      task.cells.forEach((cell, i) => {
        setCell(manifest, cell.index, result.hashes.subarray(i * 32, i * 32 + 32), result.zero[i] === 1);
      });
      options.onCells?.(
        task.cells.map((c) => c.index),
        manifest,
      );
      progress.bytesDone += result.bytes;
      progress.cellsDone += task.cells.length;
      options.onProgress?.({ ...progress });
    }
  };
  try {
    await Promise.all(Array.from({ length: pool.workers }, runOne));
  } finally {
    if (options.pool === undefined) await pool.close();
  }
  return { layout, manifest };
}

function makeTasks(path: string, layout: ImageLayout, indices: readonly number[], batchBytes: number): HashTask[] {
  const tasks: HashTask[] = [];
  let current: HashTask = { path, cells: [] };
  let bytes = 0;
  for (const index of indices) {
    const cell = cellRange(layout.grid, index);
    if (current.cells.length > 0 && bytes + cell.length > batchBytes) {
      tasks.push(current);
      current = { path, cells: [] };
      bytes = 0;
    }
    current.cells.push(cell);
    bytes += cell.length;
  }
  if (current.cells.length > 0) tasks.push(current);
  return tasks;
}
