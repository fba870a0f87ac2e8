import type { AccessibleMachine, DoubleState } from './double-state.js';
import { attachedDiskUuids, chainUuids } from './medium-usage.js';
import type { WriterTarget } from './writer-control.js';

/**
 * Takes the state and a machine; returns what its guest writer writes: for each attached hard disk, the
 * current (leaf) image, named by the UUID of the chain's base medium (stable across snapshots and merges).
 */
export function writerTargets(state: DoubleState, machine: AccessibleMachine): WriterTarget[] {
  const targets: WriterTarget[] = [];
  for (const leaf of attachedDiskUuids(machine.config.hardware)) {
    const node = state.findMedium(leaf)?.node;
    const base = chainUuids(state, leaf).at(-1);
    if (node && base) targets.push({ disk: base, path: node.location });
  }
  return targets;
}
