import type { MachineConfig, SnapshotNode } from './machine-config.js';

/** A snapshot with its parent (none for the root) and its position among its siblings. */
export interface SnapshotPlace {
  node: SnapshotNode;
  parent?: SnapshotNode;
  /** The array holding the node (the parent's children; for the root, a one-element array). */
  siblings: SnapshotNode[];
}

/** Takes a machine; returns every snapshot, depth first, parents before children. */
export function listSnapshots(machine: MachineConfig): SnapshotPlace[] {
  const out: SnapshotPlace[] = [];
  const walk = (node: SnapshotNode, siblings: SnapshotNode[], parent?: SnapshotNode) => {
    out.push({ node, siblings, ...(parent ? { parent } : {}) });
    for (const c of node.children) walk(c, node.children, node);
  };
  if (machine.snapshot) walk(machine.snapshot, [machine.snapshot]);
  return out;
}

/**
 * Takes a machine; returns the `showSnapshots()` lines of `--machinereadable` (reference §1.3): names and
 * UUIDs with `-1`, `-1-1`… suffixes, depth first, and the Current* lines right after the current one.
 * Names and descriptions are printed unescaped, as the source does.
 */
export function machineReadableSnapshots(machine: MachineConfig): string {
  let out = '';
  const walk = (node: SnapshotNode, prefix: string) => {
    out += `SnapshotName${prefix}="${node.name}"\nSnapshotUUID${prefix}="${node.uuid}"\n`;
    if (node.description) out += `SnapshotDescription${prefix}="${node.description}"\n`;
    if (node.uuid === machine.currentSnapshot) {
      out += `CurrentSnapshotName="${node.name}"\nCurrentSnapshotUUID="${node.uuid}"\nCurrentSnapshotNode="SnapshotName${prefix}"\n`;
    }
    for (const [i, c] of node.children.entries()) walk(c, `${prefix}-${i + 1}`);
  };
  if (machine.snapshot) walk(machine.snapshot, '');
  return out;
}

/** Takes a machine; returns the indented human `snapshot list` lines (`   Name: x (UUID: y) *`). */
export function humanSnapshots(machine: MachineConfig): string {
  let out = '';
  const walk = (node: SnapshotNode, prefix: string) => {
    out += `   ${prefix}Name: ${node.name} (UUID: ${node.uuid})${node.uuid === machine.currentSnapshot ? ' *' : ''}\n`;
    if (node.description && !node.description.includes('\n')) out += `   ${prefix}Description: ${node.description}\n`;
    else if (node.description) out += `   ${prefix}Description:\n${node.description}\n`;
    for (const c of node.children) walk(c, `${prefix}   `);
  };
  if (machine.snapshot) walk(machine.snapshot, '');
  return out;
}
