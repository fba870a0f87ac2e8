import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { VrsError } from '@vrs/protocol';
import { XMLParser } from 'fast-xml-parser';

/** A hard disk of the `.vbox` media registry, with its differencing children. */
export interface VboxMedium {
  uuid: string;
  location: string;
  format: string;
  parent: string | null;
}

/** An attachment in the `.vbox` (current state or a snapshot's). */
export interface VboxAttachment {
  controller: string;
  type: string;
  port: number;
  device: number;
  imageUuid: string | null;
}

/** A `<Snapshot>` of the `.vbox`, with its own attachments. */
export interface VboxSnapshot {
  uuid: string;
  name: string;
  stateFile: string | null;
  attachments: VboxAttachment[];
  children: VboxSnapshot[];
}

/** What vrs reads from a `.vbox` file (reference §2). Paths are absolute (resolved against the VM folder). */
export interface VboxFile {
  uuid: string;
  name: string;
  stateFile: string | null;
  currentSnapshot: string | null;
  media: Map<string, VboxMedium>;
  attachments: VboxAttachment[];
  snapshots: VboxSnapshot[];
  nvramFile: string | null;
  extraData: Map<string, string>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const bare = (uuid: string | undefined) => (uuid ?? '').replace(/[{}]/g, '').toLowerCase();
type Node = Record<string, unknown>;

/**
 * Takes a `.vbox` path; returns its machine, media registry (differencing children nested in parents),
 * current attachments (inside `<Hardware>` from settings 1.17, beside it before), snapshot tree, NVRAM path
 * and extradata. Throws VrsError VBOXMANAGE_FAILED for a file that is not VirtualBox settings.
 */
export async function readVboxFile(path: string): Promise<VboxFile> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['HardDisk', 'StorageController', 'AttachedDevice', 'Snapshot', 'ExtraDataItem'].includes(name),
  });
  const root = parser.parse(await readFile(path, 'utf8')) as Node;
  const machine = (root.VirtualBox as Node | undefined)?.Machine as Node | undefined;
  if (!machine) throw new VrsError('VBOXMANAGE_FAILED', `${path} is not a VirtualBox machine file`);
  const folder = dirname(path);
  const abs = (p: string) => (isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p) ? p : resolve(folder, p));
  const media = new Map<string, VboxMedium>();
  const walk = (disks: Node[], parent: string | null) => {
    for (const disk of disks) {
      const uuid = bare(disk.uuid as string);
      media.set(uuid, { uuid, location: abs(String(disk.location)), format: String(disk.format ?? ''), parent });
      walk(asArray(disk.HardDisk as Node[]), uuid);
    }
  };
  walk(asArray(((machine.MediaRegistry as Node | undefined)?.HardDisks as Node | undefined)?.HardDisk as Node[]), null);
  const hardware = machine.Hardware as Node | undefined;
  const nvram = ((hardware?.BIOS as Node | undefined)?.NVRAM as Node | undefined)?.path as string | undefined;
  return {
    uuid: bare(machine.uuid as string),
    name: String(machine.name),
    stateFile: machine.stateFile ? abs(String(machine.stateFile)) : null,
    currentSnapshot: machine.currentSnapshot ? bare(machine.currentSnapshot as string) : null,
    media,
    attachments: attachmentsOf(machine),
    snapshots: asArray(machine.Snapshot as Node[]).map((s) => snapshotOf(s, abs)),
    nvramFile: nvram ? abs(nvram) : null,
    extraData: new Map(
      asArray((machine.ExtraData as Node | undefined)?.ExtraDataItem as Node[]).map((i) => [
        String(i.name),
        String(i.value),
      ]),
    ),
  };
}

function attachmentsOf(owner: Node): VboxAttachment[] {
  const controllers = asArray(
    ((owner.Hardware as Node | undefined)?.StorageControllers as Node | undefined)?.StorageController as Node[],
  );
  const legacy = asArray((owner.StorageControllers as Node | undefined)?.StorageController as Node[]);
  return [...controllers, ...legacy].flatMap((c) =>
    asArray(c.AttachedDevice as Node[]).map((d) => ({
      controller: String(c.name),
      type: String(d.type),
      port: Number(d.port ?? 0),
      device: Number(d.device ?? 0),
      imageUuid: (d.Image as Node | undefined)?.uuid ? bare((d.Image as Node).uuid as string) : null,
    })),
  );
}

function snapshotOf(node: Node, abs: (p: string) => string): VboxSnapshot {
  return {
    uuid: bare(node.uuid as string),
    name: String(node.name),
    stateFile: node.stateFile ? abs(String(node.stateFile)) : null,
    attachments: attachmentsOf(node),
    children: asArray((node.Snapshots as Node | undefined)?.Snapshot as Node[]).map((s) => snapshotOf(s, abs)),
  };
}

/** Takes a medium UUID and the file; returns the chain from the base to it, following registry parents. */
export function chainFromVbox(file: VboxFile, leaf: string): VboxMedium[] {
  const chain: VboxMedium[] = [];
  for (let m = file.media.get(leaf); m; m = m.parent ? file.media.get(m.parent) : undefined) {
    chain.unshift(m);
    if (chain.length > 256) break;
  }
  return chain;
}
