import type { FileHandle } from 'node:fs/promises';
import { ImageError } from '../image-error.js';
import { VDI_BLOCK_FREE, VDI_BLOCK_ZERO, type VdiHeader } from './vdi-header.js';

/** Takes an open VDI and its header; returns the block map (virtual block → physical block or FREE/ZERO). */
export async function readBlockMap(handle: FileHandle, header: VdiHeader, path: string): Promise<Uint32Array> {
  const bytes = Buffer.alloc(header.blocks * 4);
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, header.offBlocks);
  if (bytesRead !== bytes.length) throw new ImageError('IMAGE_TRUNCATED', path, 'block map cut short');
  const map = new Uint32Array(header.blocks);
  for (let i = 0; i < header.blocks; i++) map[i] = bytes.readUInt32LE(i * 4);
  return map;
}

/** Counts of a block map's entries. */
export interface BlockMapStats {
  allocated: number;
  free: number;
  zero: number;
}

/**
 * Takes a block map and the header; returns its entry counts. Throws IMAGE_CORRUPT when an entry points past
 * the allocated blocks or two entries share a physical block.
 */
export function blockMapStats(map: Uint32Array, header: VdiHeader, path: string): BlockMapStats {
  const stats: BlockMapStats = { allocated: 0, free: 0, zero: 0 };
  const seen = new Uint8Array(header.blocksAllocated);
  for (let i = 0; i < map.length; i++) {
    const entry = map[i] as number;
    if (entry === VDI_BLOCK_FREE) stats.free++;
    else if (entry === VDI_BLOCK_ZERO) stats.zero++;
    else if (entry >= header.blocksAllocated || seen[entry] === 1) {
      throw new ImageError(
        'IMAGE_CORRUPT',
        path,
        `block map entry ${i} points to physical block ${entry}, which is out of range or used twice`,
      );
    } else {
      seen[entry] = 1;
      stats.allocated++;
    }
  }
  return stats;
}
