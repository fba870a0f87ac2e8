import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVdi, VdiFile } from '@vrs/block-engine';
import { cellRange, type Manifest } from '@vrs/protocol';
import { afterAll } from 'vitest';
import type { CellSource } from '../src/index.js';

export const MIB = 1024 * 1024;

/** A temporary directory removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-agent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** 1 MiB of content for a label. */
export function block(label: number): Buffer {
  const out = Buffer.alloc(MIB);
  for (let i = 0; i < MIB; i += 4) out.writeUInt32LE((label * 2654435761 + i * 40503) >>> 0, i);
  return out;
}

/** Writes a VDI whose virtual blocks hold the labelled contents (0 = an all-zero block). */
export async function writeVdi(path: string, blocks: Record<number, number>, create = true): Promise<void> {
  if (create) await createVdi(path, { diskSize: 64 * MIB });
  const image = await VdiFile.open(path, 'write');
  for (const [b, label] of Object.entries(blocks))
    await image.writeBlock(Number(b), label === 0 ? Buffer.alloc(MIB) : block(label));
  await image.close();
}

export const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A cell source reading the snapshot's file directly (the server's part, without a network). */
export function fileSource(
  path: string,
  manifest: Manifest,
  counter = { cells: 0, bytes: 0 },
): CellSource & { counter: typeof counter } {
  return {
    counter,
    async *cells(positions) {
      const handle = await open(path, 'r');
      try {
        for (const position of positions) {
          const { offset, length } = cellRange(manifest.grid, position);
          const bytes = Buffer.alloc(length);
          await handle.read(bytes, 0, length, offset);
          counter.cells++;
          counter.bytes += length;
          yield { position, bytes };
        }
      } finally {
        await handle.close();
      }
    },
  };
}
