import { open } from 'node:fs/promises';
import { cellHash, cellRange, type Manifest } from '@vrs/protocol';
import type { StagingSession } from './staging-session.js';

/**
 * Takes a staging session, a disk UUID, a local image file, its manifest and cell positions; reads those
 * cells from the file and stages them (each verified against the manifest). A transfer without a network:
 * for imports, tests and benchmarks. Throws what `stageBlock` throws.
 */
export async function stageFromFile(
  session: StagingSession,
  disk: string,
  path: string,
  manifest: Manifest,
  positions: Iterable<number>,
): Promise<number> {
  const handle = await open(path, 'r');
  let bytes = 0;
  try {
    for (const position of positions) {
      const { offset, length } = cellRange(manifest.grid, position);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      await session.stageBlock(disk, position, cellHash(manifest, position), buffer.subarray(0, bytesRead));
      bytes += length;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}
