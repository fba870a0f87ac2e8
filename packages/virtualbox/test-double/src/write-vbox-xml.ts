import { dirname } from 'node:path';
import type { Dialect } from './dialect.js';
import type { Hardware, MachineConfig, SnapshotNode, StorageController } from './machine-config.js';
import { toSettingsPath } from './settings-path.js';
import { machineSettingsVersion, settingsPrologue } from './settings-prologue.js';
import { writeExtraData, writeHardDisks } from './write-media-registry.js';
import { escapeXml, xmlAttributes } from './xml-escape.js';

/**
 * Takes a machine and the dialect; returns its `.vbox` file in the settings format of that version
 * (reference §2): MediaRegistry (differencing disks nested), ExtraData, the Snapshot tree (each with its
 * own Hardware and StorageControllers), then the current-state Hardware with StorageControllers inside.
 * Paths inside the machine folder are written relative to it.
 */
export function writeVboxXml(machine: MachineConfig, dialect: Dialect): string {
  const folder = dirname(machine.settingsFile);
  const path = (p: string) => toSettingsPath(folder, p);
  const attrs = xmlAttributes([
    ['uuid', `{${machine.uuid}}`],
    ['name', machine.name],
    ['OSType', machine.osType],
    ['stateFile', machine.stateFile === undefined ? undefined : path(machine.stateFile)],
    ['currentSnapshot', machine.currentSnapshot === undefined ? undefined : `{${machine.currentSnapshot}}`],
    ['snapshotFolder', path(machine.snapshotFolder)],
    ['currentStateModified', machine.currentSnapshot === undefined ? undefined : String(machine.currentStateModified)],
    ['lastStateChange', machine.lastStateChange],
    ['aborted', machine.aborted ? 'true' : undefined],
  ]);
  let body = '    <MediaRegistry>\n';
  body += writeHardDisks(machine.media, '      ', path);
  body += '    </MediaRegistry>\n';
  body += writeExtraData(machine.extraData, '    ');
  if (machine.description) body += `    <Description>${escapeXml(machine.description)}</Description>\n`;
  if (machine.snapshot) body += writeSnapshot(machine.snapshot, '    ', path);
  body += writeHardware(machine.hardware, '    ', path);
  return `${settingsPrologue(dialect, machineSettingsVersion(dialect))}  <Machine${attrs}>\n${body}  </Machine>\n</VirtualBox>\n`;
}

function writeSnapshot(s: SnapshotNode, pad: string, path: (p: string) => string): string {
  const attrs = xmlAttributes([
    ['uuid', `{${s.uuid}}`],
    ['name', s.name],
    ['timeStamp', s.timeStamp],
    ['stateFile', s.stateFile === undefined ? undefined : path(s.stateFile)],
  ]);
  let inner = '';
  if (s.description) inner += `${pad}  <Description>${escapeXml(s.description)}</Description>\n`;
  inner += writeHardware(s.hardware, `${pad}  `, path);
  if (s.children.length > 0) {
    inner += `${pad}  <Snapshots>\n${s.children.map((c) => writeSnapshot(c, `${pad}    `, path)).join('')}${pad}  </Snapshots>\n`;
  }
  return `${pad}<Snapshot${attrs}>\n${inner}${pad}</Snapshot>\n`;
}

function writeHardware(h: Hardware, pad: string, path: (p: string) => string): string {
  const p = `${pad}  `;
  let out = `${pad}<Hardware>\n`;
  out += `${p}<CPU count="${h.cpus}">\n${p}  <PAE enabled="true"/>\n${p}  <LongMode enabled="true"/>\n${p}  <HardwareVirtExLargePages enabled="true"/>\n${p}</CPU>\n`;
  out += `${p}<Memory RAMSize="${h.memoryMB}"/>\n`;
  if (h.firmware === 'EFI') out += `${p}<Firmware type="EFI"/>\n`;
  out += `${p}<Display VRAMSize="8"/>\n`;
  out += `${p}<BIOS>\n${p}  <IOAPIC enabled="true"/>\n${p}  <SmbiosUuidLittleEndian enabled="true"/>\n`;
  if (h.nvramPath !== undefined) out += `${p}  <NVRAM${xmlAttributes([['path', path(h.nvramPath)]])}/>\n`;
  out += `${p}</BIOS>\n`;
  const adapters = h.adapters.filter((a) => a.enabled || a.mac !== '');
  if (adapters.length > 0) {
    out += `${p}<Network>\n`;
    for (const a of adapters) {
      const attrs = xmlAttributes([
        ['slot', a.slot],
        ['enabled', a.enabled ? 'true' : undefined],
        ['MACAddress', a.mac || undefined],
        ['type', a.type],
      ]);
      out += a.enabled
        ? `${p}  <Adapter${attrs}>\n${p}    <NAT localhost-reachable="true"/>\n${p}  </Adapter>\n`
        : `${p}  <Adapter${attrs}/>\n`;
    }
    out += `${p}</Network>\n`;
  }
  out += writeControllers(h.controllers, p);
  return `${out}${pad}</Hardware>\n`;
}

function writeControllers(controllers: StorageController[], pad: string): string {
  if (controllers.length === 0) return `${pad}<StorageControllers/>\n`;
  let out = `${pad}<StorageControllers>\n`;
  for (const c of controllers) {
    const attrs = xmlAttributes([
      ['name', c.name],
      ['type', c.type],
      ['PortCount', c.portCount],
      ['useHostIOCache', String(c.useHostIOCache)],
      ['Bootable', String(c.bootable)],
    ]);
    if (c.attachments.length === 0) {
      out += `${pad}  <StorageController${attrs}/>\n`;
      continue;
    }
    out += `${pad}  <StorageController${attrs}>\n`;
    for (const a of c.attachments) {
      const aAttrs = xmlAttributes([
        ['passthrough', a.type === 'DVD' ? 'false' : undefined],
        ['type', a.type],
        ['hotpluggable', String(a.hotpluggable)],
        ['nonrotational', a.nonrotational ? 'true' : undefined],
        ['discard', a.discard ? 'true' : undefined],
        ['port', a.port],
        ['device', a.device],
      ]);
      out +=
        a.imageUuid === undefined
          ? `${pad}    <AttachedDevice${aAttrs}/>\n`
          : `${pad}    <AttachedDevice${aAttrs}>\n${pad}      <Image uuid="{${a.imageUuid}}"/>\n${pad}    </AttachedDevice>\n`;
    }
    out += `${pad}  </StorageController>\n`;
  }
  return `${out}${pad}</StorageControllers>\n`;
}
