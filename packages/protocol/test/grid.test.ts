import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellCount, cellRange, type Grid } from '../src/index.js';

describe('image grids', () => {
  it('cover the file exactly, cell after cell, with no gap or overlap', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 5000 }),
        fc.nat({ max: 200_000 }),
        fc.constantFrom(512, 4096, 65536),
        (header, rest, blockSize) => {
          const grid: Grid =
            header > 0
              ? { kind: 'vdi', fileSize: header + rest, headerLength: header, blockSize }
              : { kind: 'fixed', fileSize: rest, headerLength: 0, blockSize };
          let at = 0;
          for (let i = 0; i < cellCount(grid); i++) {
            const cell = cellRange(grid, i);
            expect(cell.offset).toBe(at);
            expect(cell.length).toBeGreaterThan(0);
            at += cell.length;
          }
          expect(at).toBe(grid.fileSize);
        },
      ),
    );
  });

  it('put the VDI header region in cell 0 and QEMU layouts on unaligned cells', () => {
    const qemu: Grid = { kind: 'vdi', fileSize: 0x400 + 2 * 1048576, headerLength: 0x400, blockSize: 1048576 };
    expect(cellRange(qemu, 0)).toEqual({ index: 0, offset: 0, length: 0x400 });
    expect(cellRange(qemu, 2)).toEqual({ index: 2, offset: 0x400 + 1048576, length: 1048576 });
    expect(() => cellRange(qemu, 3)).toThrow(/outside/);
  });
});
