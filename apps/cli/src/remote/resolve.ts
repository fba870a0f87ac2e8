import { Uuid, VrsError } from '@vrs/protocol';
import type { Api } from './open-api.js';
import { call } from './open-api.js';

/** Takes the connection and a VM name or UUID; returns the VM. Throws VM_NOT_FOUND, or INVALID_INPUT when a name is ambiguous. */
export async function resolveVm(c: Api, ref: string) {
  const vms = await call(c.api.vms.list.query());
  const byUuid = vms.find((v) => v.uuid === ref.toLowerCase());
  if (byUuid) return byUuid;
  const named = vms.filter((v) => v.name === ref);
  if (named.length === 1) return named[0] as (typeof vms)[number];
  if (named.length > 1) {
    throw new VrsError(
      'INVALID_INPUT',
      `${named.length} VMs are named ${ref}: ${named.map((v) => v.uuid).join(', ')}`,
      {
        hint: 'Use the UUID instead of the name.',
      },
    );
  }
  throw new VrsError('VM_NOT_FOUND', `no VM named or with the UUID ${ref}`, { hint: 'List the VMs with `vrs vms`.' });
}

/**
 * Takes the connection, a VM and a snapshot reference (its id, its archive name, `latest`, or a unique
 * prefix of either); returns the snapshot. Throws SNAPSHOT_NOT_FOUND, or INVALID_INPUT when a prefix is ambiguous.
 */
export async function resolveSnapshot(c: Api, vmUuid: string, ref: string) {
  const snapshots = await call(c.api.snapshots.list.query({ vmUuid }));
  if (ref === 'latest' && snapshots[0]) return snapshots[0];
  if (Uuid.safeParse(ref).success) {
    const exact = snapshots.find((s) => s.id === ref);
    if (exact) return exact;
  }
  const matches = snapshots.filter(
    (s) => s.archive === ref || s.id.startsWith(ref) || s.archive.startsWith(ref) || s.label === ref,
  );
  if (matches.length === 1) return matches[0] as (typeof snapshots)[number];
  if (matches.length > 1) {
    throw new VrsError('INVALID_INPUT', `${matches.length} snapshots match ${ref}`, {
      hint: 'Give more of the id, or the whole archive name.',
    });
  }
  throw new VrsError('SNAPSHOT_NOT_FOUND', `the VM has no snapshot ${ref}`, {
    hint: 'List them with `vrs snapshots VM`.',
  });
}
