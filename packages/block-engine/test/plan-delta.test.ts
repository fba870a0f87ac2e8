import { blake3 } from '@napi-rs/blake-hash';
import { createManifest, type Grid, type Manifest, setCell } from '@vrs/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDelta } from '../src/index.js';

const BLOCK = 4096;

/** Builds a manifest of a fixed-grid file whose cells hold the given contents (0 = all zero). */
function manifestOf(contents: number[], lastLength = BLOCK): Manifest {
  const grid: Grid = {
    kind: 'fixed',
    fileSize: contents.length === 0 ? 0 : (contents.length - 1) * BLOCK + lastLength,
    headerLength: 0,
    blockSize: BLOCK,
  };
  const m = createManifest(grid);
  contents.forEach((c, i) => {
    const length = i === contents.length - 1 ? lastLength : BLOCK;
    setCell(m, i, blake3(`${c}:${length}`), c === 0);
  });
  return m;
}

describe('delta plans', () => {
  it('turn any basis into the target, sending only content the basis lacks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 12 }), { maxLength: 60 }),
        fc.array(fc.nat({ max: 12 }), { maxLength: 60 }),
        (basis, target) => {
          const plan = planDelta(manifestOf(target), manifestOf(basis));
          const result: number[] = basis.slice(0, target.length);
          for (const i of plan.send) result[i] = target[i] as number;
          for (const r of plan.references) result[r.position] = basis[r.source] as number;
          for (const i of plan.zero) result[i] = 0;
          expect(result.slice(0, target.length)).toEqual(target);
          for (const i of plan.send) expect(basis.includes(target[i] as number)).toBe(false);
          const touched = [...plan.send, ...plan.zero, ...plan.unchanged, ...plan.references.map((r) => r.position)];
          expect(touched.sort((a, b) => a - b)).toEqual(target.map((_, i) => i));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('send moved blocks as references (VDI compaction and TRIM move them)', () => {
    const plan = planDelta(manifestOf([5, 1, 2, 3]), manifestOf([1, 2, 3, 4]));
    expect(plan.send).toEqual([0]);
    expect(plan.references).toEqual([
      { position: 1, source: 0 },
      { position: 2, source: 1 },
      { position: 3, source: 2 },
    ]);
    expect(plan.sendBytes).toBe(BLOCK);
  });

  it('send everything but zeros when the other side holds nothing, and tell the final length', () => {
    const plan = planDelta(manifestOf([1, 0, 2, 2], 100), null);
    expect(plan).toMatchObject({ send: [0, 2, 3], zero: [1], unchanged: [], truncateTo: 3 * BLOCK + 100 });
  });

  it('never reuse a cell of another length, even with equal content labels', () => {
    const plan = planDelta(manifestOf([1, 7], 100), manifestOf([1, 7]));
    expect(plan.unchanged).toEqual([0]);
    expect(plan.send).toEqual([1]);
  });
});
