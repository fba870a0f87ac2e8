import type { VmInfo } from '@vrs/virtualbox';
import { describe, expect, it } from 'vitest';
import { CaptureError, type HostFacts, selectProvider } from '../src/index.js';

const vm = (state: VmInfo['state']): VmInfo => ({
  uuid: '7e261a39-d356-4eb1-a8ed-75675b149241',
  name: 'Fedora',
  state,
  stateChangeTime: null,
  configFile: '/vms/Fedora/Fedora.vbox',
  snapshotFolder: null,
  nvramFile: null,
  stateFile: null,
  sessionName: null,
  firmware: 'BIOS',
  disks: [],
  snapshots: [],
  currentSnapshotUuid: null,
  inaccessible: false,
});
const linux = (fsType: number | null, subvolume = false): HostFacts => ({ platform: 'linux', fsType, subvolume });

describe('provider selection', () => {
  it.each(['poweroff', 'saved', 'aborted', 'aborted-saved'] as const)('reads a %s VM in place', (state) => {
    expect(selectProvider(vm(state), linux(0xef53))).toBe('offline');
  });

  it.each([
    ['Windows', { platform: 'win32', fsType: null, subvolume: false }, 'vss'],
    ['macOS (APFS clonefile)', { platform: 'darwin', fsType: null, subvolume: false }, 'reflink'],
    ['a btrfs subvolume', linux(0x9123683e, true), 'btrfs-snapshot'],
    ['a btrfs folder', linux(0x9123683e), 'reflink'],
    ['XFS', linux(0x58465342), 'reflink'],
    ['ext4', linux(0xef53), 'vbox-transient'],
  ] as const)('captures a running VM on %s with %s', (_, host, method) => {
    expect(selectProvider(vm('running'), host as HostFacts)).toBe(method);
    expect(selectProvider(vm('paused'), host as HostFacts)).toBe(method);
  });

  it('refuses a VM in a transient state, saying to try again', () => {
    expect(() => selectProvider(vm('onlinesnapshotting'), linux(0xef53))).toThrow(CaptureError);
    expect(() => selectProvider(vm('saving'), linux(0xef53))).toThrow(/try again when it is running or powered off/);
  });
});
