import { VmState } from '@vrs/protocol';
import type { SnapshotNode, VmDiskAttachment, VmInfo } from '../model/vm-info.js';

const REMOVABLE = /\.(iso|dmg|cdr)$/i;

/**
 * Takes the key/value map of `showvminfo --machinereadable`; returns the VmInfo. Hard disks are the
 * attachments that are neither empty nor removable (DVD keys `<Ctl>-tempeject-p-d`/`-IsEjected-p-d`, or an
 * ISO path); chains are left for `showmediuminfo`. Unknown states become `unknown`.
 */
export function parseVmInfo(map: Map<string, string>): VmInfo {
  const get = (key: string) => map.get(key) ?? null;
  const name = get('name') ?? '';
  const state = VmState.safeParse(get('VMState'));
  return {
    uuid: (get('UUID') ?? '').toLowerCase(),
    name,
    state: state.success ? state.data : 'unknown',
    stateChangeTime: get('VMStateChangeTime'),
    configFile: get('CfgFile') ?? '',
    snapshotFolder: get('SnapFldr'),
    nvramFile: get('BIOS NVRAM File'),
    stateFile: get('VMStateFile'),
    sessionName: get('SessionName'),
    firmware: get('firmware'),
    disks: parseDisks(map),
    snapshots: parseSnapshots(map),
    currentSnapshotUuid: get('CurrentSnapshotUUID')?.toLowerCase() ?? null,
    inaccessible: name === '<inaccessible>',
  };
}

function parseDisks(map: Map<string, string>): VmDiskAttachment[] {
  const disks: VmDiskAttachment[] = [];
  // Every attached medium has `"<Ctl>-ImageUUID-<port>-<device>"`; its path is `"<Ctl>-<port>-<device>"`.
  for (const [key, uuid] of map) {
    const slot = /^(.+)-ImageUUID-(\d+)-(\d+)$/.exec(key);
    if (!slot) continue;
    const [, controller, port, device] = slot as unknown as [string, string, string, string];
    const path = map.get(`${controller}-${port}-${device}`);
    if (path === undefined || path === 'none' || path === 'emptydrive') continue;
    const removable =
      map.has(`${controller}-tempeject-${port}-${device}`) ||
      map.has(`${controller}-IsEjected-${port}-${device}`) ||
      REMOVABLE.test(path);
    if (removable) continue;
    disks.push({ controller, port: Number(port), device: Number(device), mediumUuid: uuid.toLowerCase(), path });
  }
  return disks;
}

/** Snapshot keys: `SnapshotName`, then `-1`, `-1-1`, `-2`… depth-first with a 1-based index per level. */
function parseSnapshots(map: Map<string, string>): SnapshotNode[] {
  const nodeAt = (suffix: string): SnapshotNode | null => {
    const uuid = map.get(`SnapshotUUID${suffix}`);
    if (uuid === undefined) return null;
    const children: SnapshotNode[] = [];
    for (let i = 1; ; i++) {
      const child = nodeAt(`${suffix}-${i}`);
      if (!child) break;
      children.push(child);
    }
    return {
      uuid: uuid.toLowerCase(),
      name: map.get(`SnapshotName${suffix}`) ?? '',
      description: map.get(`SnapshotDescription${suffix}`) ?? null,
      children,
    };
  };
  const root = nodeAt('');
  return root ? [root] : [];
}

/** Takes a snapshot forest; returns every node, depth-first. */
export function flattenSnapshots(nodes: readonly SnapshotNode[]): SnapshotNode[] {
  return nodes.flatMap((n) => [n, ...flattenSnapshots(n.children)]);
}
