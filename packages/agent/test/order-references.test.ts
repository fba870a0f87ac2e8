import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderReferences } from '../src/index.js';

describe('reference order', () => {
  it('applies any set of moves in place as if every source were read first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 30 }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat({ max: 29 }), fc.nat({ max: 29 })), { maxLength: 30 }),
        (file, pairs) => {
          const refs = [
            ...new Map(pairs.filter(([p, s]) => p < file.length && s < file.length && p !== s)).entries(),
          ].map(([position, source]) => ({ position, source }));
          const expected = file.slice();
          for (const r of refs) expected[r.position] = file[r.source] as number;
          const current = file.slice();
          const kept = new Map<number, number>();
          for (const step of orderReferences(refs)) {
            if (step.kind === 'keep') kept.set(step.position, current[step.position] as number);
            else current[step.position] = kept.get(step.source) ?? (current[step.source] as number);
          }
          expect(current).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('needs one kept cell for a swap, none for a chain', () => {
    expect(
      orderReferences([
        { position: 1, source: 2 },
        { position: 2, source: 1 },
      ]).filter((s) => s.kind === 'keep'),
    ).toHaveLength(1);
    expect(
      orderReferences([
        { position: 1, source: 2 },
        { position: 2, source: 3 },
      ]).map((s) => s.kind),
    ).toEqual(['copy', 'copy']);
  });
});
