import type { AccessibleMachine, DoubleState } from './double-state.js';
import type { Hardware, SnapshotNode } from './machine-config.js';
import { VM_PROCESS_STATES } from './machine-state.js';
import { listSnapshots } from './snapshot-tree.js';

/** Takes hardware; returns the UUIDs of the hard disks attached to it. */
export function attachedDiskUuids(hardware: Hardware): string[] {
  return hardware.controllers.flatMap((c) =>
    c.attachments.filter((a) => a.type === 'HardDisk' && a.imageUuid !== undefined).map((a) => a.imageUuid as string),
  );
}

/** Takes the state and a medium UUID; returns each medium's chain from the leaf to the base (UUIDs). */
export function chainUuids(state: DoubleState, leafUuid: string): string[] {
  const chain: string[] = [];
  let uuid: string | undefined = leafUuid;
  while (uuid !== undefined && !chain.includes(uuid)) {
    chain.push(uuid);
    uuid = state.findMedium(uuid)?.parent?.uuid;
  }
  return chain;
}

/** Takes the state and a medium UUID; returns `locked write`, `locked read` or `created` (reference §1.4). */
export function mediumLockState(state: DoubleState, uuid: string): 'created' | 'locked read' | 'locked write' {
  let lock: 'created' | 'locked read' | 'locked write' = 'created';
  for (const m of state.accessible()) {
    if (!VM_PROCESS_STATES.has(m.runtime.state)) continue;
    for (const leaf of attachedDiskUuids(m.config.hardware)) {
      const chain = chainUuids(state, leaf);
      if (chain[0] === uuid) return 'locked write';
      if (chain.includes(uuid)) lock = 'locked read';
    }
  }
  return lock;
}

/** Who uses a medium: a machine, and the snapshots of it whose hardware attaches the medium. */
export interface MediumUser {
  machine: AccessibleMachine;
  snapshots: SnapshotNode[];
}

/** Takes the state and a medium UUID; returns the machines (and snapshots) attaching it directly. */
export function mediumUsers(state: DoubleState, uuid: string): MediumUser[] {
  const users: MediumUser[] = [];
  for (const m of state.accessible()) {
    const current = attachedDiskUuids(m.config.hardware).includes(uuid);
    const snapshots = listSnapshots(m.config)
      .map((p) => p.node)
      .filter((s) => attachedDiskUuids(s.hardware).includes(uuid));
    if (current || snapshots.length > 0) users.push({ machine: m, snapshots });
  }
  return users;
}
