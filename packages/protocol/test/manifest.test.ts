import { blake3 } from '@napi-rs/blake-hash';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellCount,
  cellHash,
  createManifest,
  decodeManifest,
  encodeManifest,
  type Grid,
  isZeroCell,
  setCell,
  VrsError,
} from '../src/index.js';

const MIB = 1024 * 1024;

const gridArb: fc.Arbitrary<Grid> = fc.oneof(
  fc.record({
    kind: fc.constant('fixed' as const),
    fileSize: fc.nat({ max: 64 * MIB }),
    headerLength: fc.constant(0),
    blockSize: fc.constantFrom(MIB, 65536),
  }),
  fc
    .record({ headerLength: fc.integer({ min: 512, max: 2 * MIB }), extra: fc.nat({ max: 16 * MIB }) })
    .map(({ headerLength, extra }) => ({
      kind: 'vdi' as const,
      fileSize: headerLength + extra,
      headerLength,
      blockSize: MIB,
    })),
);

describe('block manifests', () => {
  it('round-trip every grid with its hashes and zero flags', () => {
    fc.assert(
      fc.property(gridArb, fc.integer(), (grid, seed) => {
        const m = createManifest(grid);
        for (let i = 0; i < cellCount(grid); i++) setCell(m, i, blake3(`${seed}:${i}`), (seed + i) % 3 === 0);
        const back = decodeManifest(encodeManifest(m));
        expect(back.grid).toEqual(grid);
        for (let i = 0; i < cellCount(grid); i++) {
          expect(Buffer.from(cellHash(back, i))).toEqual(Buffer.from(cellHash(m, i)));
          expect(isZeroCell(back, i)).toBe((seed + i) % 3 === 0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keep a 50 GiB disk in 1 MiB cells under 2 MB', () => {
    const grid: Grid = { kind: 'vdi', fileSize: 2 * MIB + 50 * 1024 * MIB, headerLength: 2 * MIB, blockSize: MIB };
    expect(encodeManifest(createManifest(grid)).length).toBeLessThanOrEqual(2_000_000);
  });

  it('reject garbage, truncation and any flipped byte with MANIFEST_INVALID', () => {
    const m = createManifest({ kind: 'vdi', fileSize: 5 * MIB, headerLength: 2 * MIB, blockSize: MIB });
    const bytes = encodeManifest(m);
    const expectInvalid = (b: Uint8Array) => {
      try {
        decodeManifest(b);
      } catch (error) {
        expect(error).toBeInstanceOf(VrsError);
        expect((error as VrsError).code).toBe('MANIFEST_INVALID');
        return;
      }
      throw new Error('accepted');
    };
    for (let cut = 0; cut < bytes.length; cut += 7) expectInvalid(bytes.subarray(0, cut));
    for (let at = 0; at < bytes.length; at++) {
      const flipped = bytes.slice();
      flipped[at] = (flipped[at] as number) ^ 0x10;
      expectInvalid(flipped);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => expectInvalid(b)),
      { numRuns: 500 },
    );
  });

  it('refuse grids that do not add up', () => {
    expect(() => createManifest({ kind: 'fixed', fileSize: 10, headerLength: 4, blockSize: MIB })).toThrow(
      /fixed grid/,
    );
    expect(() => createManifest({ kind: 'vdi', fileSize: 10, headerLength: 400, blockSize: MIB })).toThrow(
      /longer than the file/,
    );
    expect(() => createManifest({ kind: 'fixed', fileSize: 10, headerLength: 0, blockSize: 3 })).toThrow(/block size/);
  });
});
