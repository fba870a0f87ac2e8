import { mapVboxAttributes } from './map-vbox-attributes.js';

/** The attributes of a `.vbox` that hold paths (reference §2), by element and attribute. */
export type VboxPathKind =
  | 'HardDisk.location'
  | 'NVRAM.path'
  | 'Machine.stateFile'
  | 'Snapshot.stateFile'
  | 'Machine.snapshotFolder';

const PATH_KINDS = new Set<string>([
  'HardDisk.location',
  'NVRAM.path',
  'Machine.stateFile',
  'Snapshot.stateFile',
  'Machine.snapshotFolder',
]);

/** What to change in a `.vbox` to make it another VM. UUIDs are bare and lower-case, MACs 12 upper-case hex digits. */
export interface VboxRewrite {
  /** The new machine name. */
  name: string;
  /** The new machine UUID, also the new hardware (SMBIOS) UUID when the file sets one. */
  machineUuid: string;
  /** Old UUID → new: the machine, every medium of the media registry, every snapshot. */
  uuids: ReadonlyMap<string, string>;
  /** Old MAC → new, for every network adapter of the current state and of every snapshot. */
  macs: ReadonlyMap<string, string>;
  /** Takes a path attribute as stored; returns it as it is to be stored, or null to remove the attribute. */
  path(kind: VboxPathKind, stored: string): string | null;
}

const bare = (uuid: string) => uuid.replace(/^\{|\}$/g, '').toLowerCase();

/**
 * Takes the text of a `.vbox` and a rewrite; returns the text of the new VM's `.vbox`: `Machine@uuid`,
 * `@name` and `@currentSnapshot`, every `HardDisk@uuid` of the media registry, every `Image@uuid` of the
 * current and snapshot attachments, every `Snapshot@uuid`, every `Adapter@MACAddress`, and the path
 * attributes, as the rewrite says; a `<HardwareUUID>` (the SMBIOS UUID the guest sees) becomes the new
 * machine UUID, as `clonevm` does without `keephwuuids`. DVD and floppy images (shared, not copied) and
 * everything else are left byte for byte.
 */
export function rewriteVboxXml(xml: string, plan: VboxRewrite): string {
  const mapped = mapVboxAttributes(xml, (element, attribute, value) => {
    const kind = `${element}.${attribute}`;
    if (PATH_KINDS.has(kind)) return plan.path(kind as VboxPathKind, value);
    if (attribute === 'uuid' || kind === 'Machine.currentSnapshot') {
      const next = plan.uuids.get(bare(value));
      return next === undefined ? undefined : `{${next}}`;
    }
    if (kind === 'Machine.name') return plan.name;
    if (kind === 'Adapter.MACAddress') return plan.macs.get(value.toUpperCase());
    return undefined;
  });
  return mapped.replace(
    /(<HardwareUUID>)([^<]*)(<\/HardwareUUID>)/g,
    (whole: string, open: string, text: string, close: string) => {
      return text.trim() === '' ? whole : `${open}{${plan.machineUuid}}${close}`;
    },
  );
}
