import { z } from 'zod';
import { DisplayName, Timestamp, Uuid } from './common.js';
import { Disk } from './disk.js';

/** `VMState` as `showvminfo --machinereadable` prints it (reference/virtualbox.md §1.2). */
export const VmState = z.enum([
  'poweroff',
  'saved',
  'teleported',
  'aborted',
  'aborted-saved',
  'running',
  'paused',
  'gurumeditation',
  'teleporting',
  'livesnapshotting',
  'starting',
  'stopping',
  'saving',
  'restoring',
  'teleportingpausedvm',
  'teleportingin',
  'deletingsnapshotlive',
  'deletingsnapshotlivepaused',
  'onlinesnapshotting',
  'restoringsnapshot',
  'deletingsnapshot',
  'settingup',
  'snapshotting',
  'unknown',
]);
export type VmState = z.infer<typeof VmState>;

/** A VirtualBox VM as its host reports it. */
export const Vm = z.object({
  uuid: Uuid,
  hostId: Uuid,
  name: DisplayName,
  state: VmState,
  configFile: z.string().min(1).max(4096),
  disks: z.array(Disk).max(64),
  policyId: Uuid.nullable(),
  lastSnapshotAt: Timestamp.nullable(),
});
export type Vm = z.infer<typeof Vm>;
