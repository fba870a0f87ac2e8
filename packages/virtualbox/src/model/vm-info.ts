import type { ChainImage, DiskFormat, VmState } from '@vrs/protocol';

/** A node of a VM's native snapshot tree. */
export interface SnapshotNode {
  uuid: string;
  name: string;
  description: string | null;
  children: SnapshotNode[];
}

/** A hard disk attached to a VM's current state. `path`/`mediumUuid` are the current (leaf) image. */
export interface VmDiskAttachment {
  controller: string;
  port: number;
  device: number;
  mediumUuid: string;
  path: string;
  /** Filled by `showmediuminfo`: the image format and the differencing chain, base first. */
  format?: DiskFormat;
  chain?: ChainImage[];
}

/** What vrs needs to know about a VM, from `showvminfo --machinereadable`. */
export interface VmInfo {
  uuid: string;
  name: string;
  state: VmState;
  /** UTC, as VirtualBox prints it (9 fractional digits, no Z). */
  stateChangeTime: string | null;
  configFile: string;
  snapshotFolder: string | null;
  nvramFile: string | null;
  stateFile: string | null;
  sessionName: string | null;
  firmware: string | null;
  disks: VmDiskAttachment[];
  snapshots: SnapshotNode[];
  currentSnapshotUuid: string | null;
  inaccessible: boolean;
}
