import { comError } from './com-error.js';
import { asUuid } from './double-state.js';
import type { MachineConfig } from './machine-config.js';
import { listSnapshots, type SnapshotPlace } from './snapshot-tree.js';

/**
 * Takes a machine and a snapshot name or UUID (as `FindSnapshot` gets it from argv); returns the snapshot.
 * Throws `This machine does not have any snapshots` (E_FAIL), `Could not find a snapshot with UUID {…}` or
 * `Could not find a snapshot named '…'` (VBOX_E_OBJECT_NOT_FOUND).
 */
export function findSnapshot(machine: MachineConfig, nameOrUuid: string): SnapshotPlace {
  const site = {
    component: 'SessionMachine',
    iface: 'IMachine',
    context: 'FindSnapshot(Bstr(a->argv[2]).raw(), pSnapshot.asOutParam())',
    file: 'VBoxManageSnapshot.cpp',
    line: 536,
  } as const;
  const all = listSnapshots(machine);
  if (all.length === 0)
    throw comError('This machine does not have any snapshots', { hresult: 'NS_ERROR_FAILURE', ...site });
  const uuid = asUuid(nameOrUuid);
  const found = uuid ? all.find((p) => p.node.uuid === uuid) : all.find((p) => p.node.name === nameOrUuid);
  if (found) return found;
  throw comError(
    uuid ? `Could not find a snapshot with UUID {${uuid}}` : `Could not find a snapshot named '${nameOrUuid}'`,
    {
      hresult: 'VBOX_E_OBJECT_NOT_FOUND',
      ...site,
    },
  );
}
