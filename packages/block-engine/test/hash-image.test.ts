import { closeSync, openSync, readSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import { cellCount, cellHash, cellRange, isZeroCell } from '@vrs/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { createVdi, HashPool, type HashProgress, hashImage, ImageError, VdiFile } from '../src/index.js';
import { useTempDirs } from './helpers/temp-dir.js';

const MIB = 1024 * 1024;
const tempDir = useTempDirs();
const pool = new HashPool({ workers: 2 });
afterAll(() => pool.close());

function readCell(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  const out = Buffer.alloc(length);
  readSync(fd, out, 0, length, offset);
  closeSync(fd);
  return out;
}

describe('the hash pool', () => {
  it('hashes every cell of a VDI with BLAKE3 and flags the all-zero ones', async () => {
    const file = join(tempDir(), 'h.vdi');
    await createVdi(file, { diskSize: 32 * MIB });
    const image = await VdiFile.open(file, 'write');
    for (let i = 0; i < 20; i++) {
      const block = Buffer.alloc(MIB, i % 4 === 0 ? 0 : i);
      block[0] = i % 4 === 0 ? 0 : 1;
      // A partly written block of zeros is still allocated: write one byte, then zero it again.
      if (i % 4 === 0) {
        await image.write(i * MIB, Buffer.from([1]));
        await image.write(i * MIB, Buffer.from([0]));
      } else {
        await image.writeBlock(i, block);
      }
    }
    await image.close();
    const { layout, manifest } = await hashImage(file, { pool });
    expect(cellCount(layout.grid)).toBe(21);
    for (let i = 0; i < cellCount(layout.grid); i++) {
      const { offset, length } = cellRange(layout.grid, i);
      const bytes = readCell(file, offset, length);
      expect(Buffer.from(cellHash(manifest, i))).toEqual(blake3(bytes));
      expect(isZeroCell(manifest, i), `cell ${i}`).toBe(bytes.every((b) => b === 0));
    }
    expect(Array.from({ length: 21 }, (_, i) => isZeroCell(manifest, i)).filter(Boolean)).toHaveLength(5);
  });

  it('reports progress that grows to the total, and hashes only the cells asked for', async () => {
    const file = join(tempDir(), 'raw.img');
    writeFileSync(file, Buffer.alloc(10 * MIB + 123, 7));
    const seen: HashProgress[] = [];
    const { manifest } = await hashImage(file, { pool, batchBytes: 2 * MIB, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.map((p) => p.bytesDone)).toEqual([...seen.map((p) => p.bytesDone)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({
      bytesDone: 10 * MIB + 123,
      bytesTotal: 10 * MIB + 123,
      cellsDone: 11,
      cellsTotal: 11,
    });
    const partial = await hashImage(file, { pool, cells: [3, 10] });
    expect(Buffer.from(cellHash(partial.manifest, 3))).toEqual(Buffer.from(cellHash(manifest, 3)));
    expect(Buffer.from(cellHash(partial.manifest, 10))).toEqual(blake3(Buffer.alloc(123, 7)));
    expect(Buffer.from(cellHash(partial.manifest, 4)).every((b) => b === 0)).toBe(true);
  });

  it('hashes cells larger than its read buffer, such as a VDI header region, the same as in one piece', async () => {
    const file = join(tempDir(), 'big-cells.img');
    const bytes = Buffer.alloc(9 * MIB + 17).map((_, i) => (i * 31) % 251);
    writeFileSync(file, bytes);
    const layout = {
      path: file,
      format: 'raw' as const,
      grid: { kind: 'vdi' as const, fileSize: bytes.length, headerLength: 5 * MIB + 3, blockSize: 2 * MIB },
    };
    const { manifest } = await hashImage(file, { pool, layout });
    for (let i = 0; i < cellCount(layout.grid); i++) {
      const { offset, length } = cellRange(layout.grid, i);
      expect(Buffer.from(cellHash(manifest, i))).toEqual(blake3(bytes.subarray(offset, offset + length)));
    }
  });

  it('fails with an ImageError when the file shrinks under it', async () => {
    const file = join(tempDir(), 'shrinks.img');
    writeFileSync(file, Buffer.alloc(40 * MIB, 1));
    const run = hashImage(file, {
      pool,
      batchBytes: MIB,
      onProgress: (p) => {
        if (p.cellsDone === 1) truncateSync(file, 2 * MIB);
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImageError);
    await expect(run).rejects.toThrow(/inside cell/);
  });

  it('stops when aborted', async () => {
    const file = join(tempDir(), 'abort.img');
    writeFileSync(file, Buffer.alloc(30 * MIB, 2));
    const controller = new AbortController();
    const run = hashImage(file, {
      pool,
      batchBytes: MIB,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
  });
});
