import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CaptureMethod } from '@vrs/protocol';
import type { VmInfo } from '@vrs/virtualbox';
import { CaptureError } from './capture-error.js';
import { isSubvolumeRoot } from './providers/btrfs-snapshot.js';
import { OFFLINE_STATES } from './providers/offline.js';

/** statfs(2) magic numbers of filesystems that clone files (FICLONE). */
const BTRFS = 0x9123683e;
const XFS = 0x58465342;

/** What the selection looks at. Tests pass it; `probeHost` reads it from the machine. */
export interface HostFacts {
  platform: NodeJS.Platform;
  /** statfs type of the VM folder's filesystem (Linux), or null. */
  fsType: number | null;
  /** Whether the VM folder is a btrfs subvolume root. */
  subvolume: boolean;
}

/** Takes a VM; returns the facts of its host and folder. */
export async function probeHost(info: VmInfo): Promise<HostFacts> {
  const folder = dirname(info.configFile);
  const fsType =
    process.platform === 'linux'
      ? await statfs(folder).then(
          (s) => s.type,
          () => null,
        )
      : null;
  const subvolume = fsType === BTRFS ? await isSubvolumeRoot(folder).catch(() => false) : false;
  return { platform: process.platform, fsType, subvolume };
}

/**
 * Takes a VM and its host facts; returns the provider to use: `offline` for a VM that does not run; for a
 * running or paused VM `vss` on Windows, `btrfs-snapshot` for a VM folder that is a btrfs subvolume,
 * `reflink` on btrfs, XFS and macOS (APFS), else `vbox-transient`. Throws CaptureError for a VM in a
 * transient state (starting, saving, snapshotting…): retry when it settles.
 */
export function selectProvider(info: VmInfo, host: HostFacts): CaptureMethod {
  if (OFFLINE_STATES.has(info.state)) return 'offline';
  if (info.state !== 'running' && info.state !== 'paused') {
    throw new CaptureError(
      'choosing how to capture',
      `the VM is ${info.state}; try again when it is running or powered off`,
    );
  }
  if (host.platform === 'win32') return 'vss';
  if (host.platform === 'darwin') return 'reflink';
  if (host.fsType === BTRFS) return host.subvolume ? 'btrfs-snapshot' : 'reflink';
  if (host.fsType === XFS) return 'reflink';
  return 'vbox-transient';
}
