import type { Reference } from '@vrs/block-engine';

/** A step of applying references in place: copy a cell, or first keep a cell's content in memory. */
export type ReferenceStep = { kind: 'copy'; position: number; source: number } | { kind: 'keep'; position: number };

/**
 * Takes references into the current file (target position ← source position, sources as they are before
 * any write); returns an order that never overwrites a cell another reference still has to read. Cycles
 * (two moved blocks swapping places) are broken by a `keep` step: that cell's content is held in memory,
 * and copies from it read the kept bytes. Memory: one cell per cycle.
 */
export function orderReferences(references: readonly Reference[]): ReferenceStep[] {
  const pending = new Map(references.map((r) => [r.position, r.source]));
  const readers = new Map<number, number>();
  for (const source of pending.values()) readers.set(source, (readers.get(source) ?? 0) + 1);
  const steps: ReferenceStep[] = [];
  const kept = new Set<number>();
  while (pending.size > 0) {
    let progressed = false;
    for (const [position, source] of pending) {
      if ((readers.get(position) ?? 0) > 0 && !kept.has(position)) continue;
      steps.push({ kind: 'copy', position, source });
      pending.delete(position);
      readers.set(source, (readers.get(source) ?? 1) - 1);
      progressed = true;
    }
    if (!progressed) {
      const [position] = pending.keys() as IterableIterator<number>;
      steps.push({ kind: 'keep', position: position as number });
      kept.add(position as number);
    }
  }
  return steps;
}
