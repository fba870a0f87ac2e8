import { cellCount, cellHash, cellRange, isZeroCell, type Manifest, manifestCells } from '@vrs/protocol';

/** A position to fill from another position the receiving side already holds with the same content. */
export interface Reference {
  position: number;
  source: number;
}

/**
 * What it takes to turn the `basis` into the `target`:
 * - `send`: cells whose content the basis does not hold anywhere (they travel as data);
 * - `references`: cells the basis holds at another position (compaction and TRIM move VDI blocks);
 * - `zero`: cells that become all zero (no data moves);
 * - `unchanged`: cells already equal at the same position;
 * - `truncateTo`: the target's file length.
 */
export interface DeltaPlan {
  send: number[];
  references: Reference[];
  zero: number[];
  unchanged: number[];
  sendBytes: number;
  truncateTo: number;
}

const key = (m: Manifest, i: number) => Buffer.from(cellHash(m, i)).toString('base64');

/** What one cell of the target needs, against a basis (see planDelta). */
export type CellAction =
  | { kind: 'unchanged' }
  | { kind: 'zero' }
  | { kind: 'reference'; source: number }
  | { kind: 'send' };

/**
 * Takes the manifest of what the other side holds (null for nothing); returns a function that takes a
 * target manifest and a cell index and says what that cell needs. Lets a sender classify cells as soon as
 * they are hashed, with the same rules as planDelta.
 */
export function makeCellClassifier(basis: Manifest | null): (target: Manifest, i: number) => CellAction {
  const basisCells = basis ? manifestCells(basis) : 0;
  const where = new Map<string, number>();
  if (basis) {
    for (let j = basisCells - 1; j >= 0; j--) if (!isZeroCell(basis, j)) where.set(key(basis, j), j);
  }
  return (target, i) => {
    const zero = isZeroCell(target, i);
    const sameLength =
      basis !== null && i < basisCells && cellRange(basis.grid, i).length === cellRange(target.grid, i).length;
    if (basis && sameLength && zero === isZeroCell(basis, i) && key(basis, i) === key(target, i)) {
      return { kind: 'unchanged' };
    }
    if (zero) return { kind: 'zero' };
    const source = where.get(key(target, i));
    return source !== undefined ? { kind: 'reference', source } : { kind: 'send' };
  };
}

/**
 * Takes the target manifest and the manifest of what the other side holds (null when it holds nothing);
 * returns the plan. Snapshot: target = the captured disk, basis = the server's mirror. Restore: target =
 * the snapshot, basis = the local disk. References always point into the basis as it was before the plan.
 */
export function planDelta(target: Manifest, basis: Manifest | null): DeltaPlan {
  const plan: DeltaPlan = {
    send: [],
    references: [],
    zero: [],
    unchanged: [],
    sendBytes: 0,
    truncateTo: target.grid.fileSize,
  };
  const classify = makeCellClassifier(basis);
  const cells = cellCount(target.grid);
  for (let i = 0; i < cells; i++) {
    const action = classify(target, i);
    if (action.kind === 'unchanged') plan.unchanged.push(i);
    else if (action.kind === 'zero') plan.zero.push(i);
    else if (action.kind === 'reference') plan.references.push({ position: i, source: action.source });
    else {
      plan.send.push(i);
      plan.sendBytes += cellRange(target.grid, i).length;
    }
  }
  return plan;
}
