import { open } from 'node:fs/promises';
import type { DeltaPlan } from '@vrs/block-engine';
import { cellHash, cellRange, encodeFrame, type Manifest } from '@vrs/protocol';

/** One frame ready for the wire, with what it stands for. */
export interface OutgoingFrame {
  position: number;
  kind: 'data' | 'reference';
  bytes: Uint8Array;
  rawLength: number;
}

/**
 * Takes a captured file, its disk UUID, manifest and delta plan, and the positions the server already
 * staged (a resumed transfer); yields the transfer frames: a reference frame for each cell the server holds
 * elsewhere, then a data frame (lz4 when it saves at least 1/16) for each cell it lacks. Reads one cell at
 * a time, so memory stays at one cell whatever the disk size.
 */
export async function* framesForPlan(
  path: string,
  disk: string,
  manifest: Manifest,
  plan: DeltaPlan,
  staged: ReadonlySet<number> = new Set(),
): AsyncGenerator<OutgoingFrame> {
  for (const { position, source } of plan.references) {
    const { length } = cellRange(manifest.grid, position);
    yield {
      position,
      kind: 'reference',
      rawLength: length,
      bytes: encodeFrame({ type: 'reference', disk, position, source, length, hash: cellHash(manifest, position) }),
    };
  }
  const handle = await open(path, 'r');
  try {
    for (const position of plan.send) {
      if (staged.has(position)) continue;
      const { offset, length } = cellRange(manifest.grid, position);
      const payload = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(payload, 0, length, offset);
      const bytes = encodeFrame({
        type: 'data',
        disk,
        position,
        hash: cellHash(manifest, position),
        payload: payload.subarray(0, bytesRead),
      });
      yield { position, kind: 'data', rawLength: length, bytes };
    }
  } finally {
    await handle.close();
  }
}
