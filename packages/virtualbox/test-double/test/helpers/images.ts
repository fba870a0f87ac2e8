import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VdiFile, type VdiHeader } from '@vrs/block-engine';
import { type CutVerdict, checkConsistentCut } from '../../src/check-consistent-cut.js';
import { openChainReader } from '../../src/read-virtual-block.js';
import type { WriterLogEntry } from '../../src/writer-log.js';

/** Returns a file's SHA-256. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Returns a VDI's header. */
export async function vdiHeader(path: string): Promise<VdiHeader> {
  const file = await VdiFile.open(path);
  await file.close();
  return file.header;
}

/** Checks whether a chain (leaf first) is a consistent cut of the log over blocks [0, blocks). */
export async function chainVerdict(
  leafFirst: string[],
  log: WriterLogEntry[],
  disk: string,
  blocks: number,
): Promise<CutVerdict> {
  const reader = await openChainReader(leafFirst);
  try {
    return await checkConsistentCut((_, b) => reader.read(b), log, [
      { uuid: disk, blocks: Array.from({ length: blocks }, (_, i) => i) },
    ]);
  } finally {
    await reader.close();
  }
}
