import { dirname } from 'node:path';
import type {
  Attachment,
  Hardware,
  MachineConfig,
  MediumNode,
  NetworkAdapter,
  SnapshotNode,
  StorageController,
} from './machine-config.js';
import { fromSettingsPath } from './settings-path.js';
import { attr, bareUuid, child, children, parseXml, text, type XmlNode } from './xml-node.js';

/**
 * Takes the text of a `.vbox` file and its absolute path; returns the machine. Reads both the current
 * layout (StorageControllers inside Hardware, settings ≥ 1.17) and the older one (a sibling of Hardware).
 * Throws when the file has no Machine element.
 */
export function parseVboxXml(xml: string, settingsFile: string): MachineConfig {
  const machine = child(child(parseXml(xml), 'VirtualBox'), 'Machine');
  const uuid = attr(machine, 'uuid');
  const name = attr(machine, 'name');
  if (machine === undefined || uuid === undefined || name === undefined)
    throw new Error(`${settingsFile}: no <Machine> element with uuid and name`);
  const folder = dirname(settingsFile);
  const path = (p: string) => fromSettingsPath(folder, p);
  const stateFile = attr(machine, 'stateFile');
  const currentSnapshot = attr(machine, 'currentSnapshot');
  const firstSnapshot = children(machine, 'Snapshot')[0];
  const description = text(machine.Description);
  return {
    uuid: bareUuid(uuid),
    name,
    osType: attr(machine, 'OSType') ?? 'Other',
    settingsFile,
    snapshotFolder: path(attr(machine, 'snapshotFolder') ?? 'Snapshots'),
    ...(currentSnapshot ? { currentSnapshot: bareUuid(currentSnapshot) } : {}),
    currentStateModified: attr(machine, 'currentStateModified') === 'true',
    lastStateChange: attr(machine, 'lastStateChange') ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(stateFile ? { stateFile: path(stateFile) } : {}),
    aborted: attr(machine, 'aborted') === 'true',
    ...(description ? { description } : {}),
    media: parseHardDisks(child(child(machine, 'MediaRegistry'), 'HardDisks'), path),
    extraData: parseExtraData(child(machine, 'ExtraData')),
    ...(firstSnapshot ? { snapshot: parseSnapshot(firstSnapshot, path) } : {}),
    hardware: parseHardware(machine, path),
  };
}

/** Takes a `<HardDisks>` element and a path resolver; returns its media tree. */
export function parseHardDisks(node: XmlNode | undefined, path: (p: string) => string): MediumNode[] {
  return children(node, 'HardDisk').map((disk) => {
    const type = attr(disk, 'type');
    return {
      uuid: bareUuid(attr(disk, 'uuid') ?? ''),
      location: path(attr(disk, 'location') ?? ''),
      format: attr(disk, 'format') ?? 'VDI',
      ...(type ? { type } : {}),
      children: parseHardDisks(disk, path),
    };
  });
}

/** Takes an `<ExtraData>` element; returns its name/value pairs in order. */
export function parseExtraData(node: XmlNode | undefined): [string, string][] {
  return children(node, 'ExtraDataItem').map((item) => [attr(item, 'name') ?? '', attr(item, 'value') ?? '']);
}

function parseSnapshot(node: XmlNode, path: (p: string) => string): SnapshotNode {
  const stateFile = attr(node, 'stateFile');
  const description = text(node.Description);
  return {
    uuid: bareUuid(attr(node, 'uuid') ?? ''),
    name: attr(node, 'name') ?? '',
    ...(description ? { description } : {}),
    timeStamp: attr(node, 'timeStamp') ?? '',
    ...(stateFile ? { stateFile: path(stateFile) } : {}),
    hardware: parseHardware(node, path),
    children: children(child(node, 'Snapshots'), 'Snapshot').map((c) => parseSnapshot(c, path)),
  };
}

function parseHardware(owner: XmlNode, path: (p: string) => string): Hardware {
  const hw = child(owner, 'Hardware');
  const nvram = attr(child(child(hw, 'BIOS'), 'NVRAM'), 'path');
  const controllersNode = child(hw, 'StorageControllers') ?? child(owner, 'StorageControllers');
  return {
    memoryMB: Number(attr(child(hw, 'Memory'), 'RAMSize') ?? 128),
    cpus: Number(attr(child(hw, 'CPU'), 'count') ?? 1),
    firmware: attr(child(hw, 'Firmware'), 'type')?.startsWith('EFI') ? 'EFI' : 'BIOS',
    ...(nvram ? { nvramPath: path(nvram) } : {}),
    adapters: parseAdapters(child(hw, 'Network')),
    controllers: children(controllersNode, 'StorageController').map(parseController),
  };
}

function parseAdapters(network: XmlNode | undefined): NetworkAdapter[] {
  const found = new Map<number, NetworkAdapter>();
  for (const a of children(network, 'Adapter')) {
    const slot = Number(attr(a, 'slot') ?? 0);
    found.set(slot, {
      slot,
      enabled: attr(a, 'enabled') === 'true',
      mac: attr(a, 'MACAddress') ?? '',
      type: attr(a, 'type') ?? 'Am79C973',
    });
  }
  return Array.from({ length: 8 }, (_, slot) => found.get(slot) ?? { slot, enabled: false, mac: '', type: 'Am79C973' });
}

function parseController(node: XmlNode): StorageController {
  return {
    name: attr(node, 'name') ?? '',
    type: attr(node, 'type') ?? 'AHCI',
    portCount: Number(attr(node, 'PortCount') ?? 1),
    useHostIOCache: attr(node, 'useHostIOCache') === 'true',
    bootable: attr(node, 'Bootable') !== 'false',
    attachments: children(node, 'AttachedDevice').map((a): Attachment => {
      const image = attr(child(a, 'Image'), 'uuid');
      return {
        type: attr(a, 'type') === 'DVD' ? 'DVD' : 'HardDisk',
        port: Number(attr(a, 'port') ?? 0),
        device: Number(attr(a, 'device') ?? 0),
        ...(image ? { imageUuid: bareUuid(image) } : {}),
        hotpluggable: attr(a, 'hotpluggable') === 'true',
        nonrotational: attr(a, 'nonrotational') === 'true',
        discard: attr(a, 'discard') === 'true',
      };
    }),
  };
}
