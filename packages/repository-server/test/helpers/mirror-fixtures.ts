import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import {
  cellCount,
  cellHash,
  cellRange,
  createManifest,
  encodeManifest,
  type Grid,
  isZeroCell,
  type Manifest,
  setCell,
} from '@vrs/protocol';
import type { MirrorStore, StagingSession } from '../../src/index.js';

export const VM = '11111111-2222-4333-8444-555555555555';
export const DISK = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const BLOCK = 4096;

/** Content of a cell labelled `label` (0 = all zero) with the given length. */
export function content(label: number, length = BLOCK): Buffer {
  if (label === 0) return Buffer.alloc(length);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 4) out.writeUInt32LE((label * 2654435761 + i) >>> 0, i);
  return out;
}

/** A disk image as labels, one per cell; the last cell may be short. */
export interface DiskState {
  labels: number[];
  lastLength?: number;
}

export function gridOf(state: DiskState): Grid {
  const n = state.labels.length;
  return {
    kind: 'fixed',
    fileSize: n === 0 ? 0 : (n - 1) * BLOCK + (state.lastLength ?? BLOCK),
    headerLength: 0,
    blockSize: BLOCK,
  };
}

export function manifestOf(state: DiskState): Manifest {
  const grid = gridOf(state);
  const m = createManifest(grid);
  for (const [i, label] of state.labels.entries())
    setCell(m, i, blake3(content(label, cellRange(grid, i).length)), label === 0);
  return m;
}

/** Stages every cell of `state` that `basis` lacks (by content), as an agent would send them. */
export async function stageMissing(
  session: StagingSession,
  state: DiskState,
  basis: DiskState | null,
): Promise<number> {
  const grid = gridOf(state);
  let sent = 0;
  for (let i = 0; i < state.labels.length; i++) {
    const label = state.labels[i] as number;
    const length = cellRange(grid, i).length;
    const basisHas = basis?.labels.some((l, j) => l === label && cellRange(gridOf(basis), j).length === length);
    if (label === 0 || basisHas) continue;
    const bytes = content(label, length);
    await session.stageBlock(DISK, i, blake3(bytes), bytes);
    sent++;
  }
  return sent;
}

/** What a mirror holds on disk: the manifest's bytes and the hash of every block file. */
export async function mirrorState(
  store: MirrorStore,
  vm = VM,
  disk = DISK,
): Promise<{ manifest: string; blocks: Record<number, string> }> {
  const dir = store.layout(vm).diskDir(disk);
  const manifest = await readFile(join(dir, 'manifest.vrsm')).then(
    (b) => b.toString('hex'),
    () => 'none',
  );
  const blocks: Record<number, string> = {};
  const folders = await readdir(join(dir, 'blocks')).catch(() => [] as string[]);
  for (const folder of folders) {
    for (const file of await readdir(join(dir, 'blocks', folder))) {
      blocks[Number(file)] = blake3(await readFile(join(dir, 'blocks', folder, file))).toString('hex');
    }
  }
  return { manifest, blocks };
}

/** The on-disk state a mirror must have for a manifest: its bytes, and a block file for each non-zero cell. */
export function expectedState(m: Manifest): { manifest: string; blocks: Record<number, string> } {
  const blocks: Record<number, string> = {};
  for (let i = 0; i < cellCount(m.grid); i++)
    if (!isZeroCell(m, i)) blocks[i] = Buffer.from(cellHash(m, i)).toString('hex');
  return { manifest: Buffer.from(encodeManifest(m)).toString('hex'), blocks };
}
