import { readFile } from 'node:fs/promises';
import type { Dialect } from './dialect.js';
import type { DoublePaths } from './double-paths.js';
import type { MediumNode } from './machine-config.js';
import { parseExtraData, parseHardDisks } from './parse-vbox-xml.js';
import { saveSettingsFile } from './save-settings-file.js';
import { settingsPrologue } from './settings-prologue.js';
import { writeExtraData, writeHardDisks } from './write-media-registry.js';
import { xmlAttributes } from './xml-escape.js';
import { attr, bareUuid, child, children, parseXml } from './xml-node.js';

/** The global registry `VirtualBox.xml`: registered machines, media not owned by a machine, extra data. */
export interface GlobalRegistry {
  machines: { uuid: string; src: string }[];
  media: MediumNode[];
  extraData: [string, string][];
}

/** Takes the double's paths; returns the registry (empty when the file does not exist yet). */
export async function readGlobalRegistry(paths: DoublePaths): Promise<GlobalRegistry> {
  const xml = await readFile(paths.registry, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (xml === undefined) return { machines: [], media: [], extraData: [] };
  const global = child(child(parseXml(xml), 'VirtualBox'), 'Global');
  return {
    machines: children(child(global, 'MachineRegistry'), 'MachineEntry').map((e) => ({
      uuid: bareUuid(attr(e, 'uuid') ?? ''),
      src: attr(e, 'src') ?? '',
    })),
    media: parseHardDisks(child(child(global, 'MediaRegistry'), 'HardDisks'), (p) => p),
    extraData: parseExtraData(child(global, 'ExtraData')),
  };
}

/** Takes the double's paths, the registry and the dialect; writes `VirtualBox.xml` atomically. */
export async function writeGlobalRegistry(
  paths: DoublePaths,
  registry: GlobalRegistry,
  dialect: Dialect,
): Promise<void> {
  let body = '  <Global>\n';
  body += writeExtraData(registry.extraData, '    ');
  body += '    <MachineRegistry>\n';
  for (const m of registry.machines) {
    body += `      <MachineEntry${xmlAttributes([
      ['uuid', `{${m.uuid}}`],
      ['src', m.src],
    ])}/>\n`;
  }
  body += '    </MachineRegistry>\n    <MediaRegistry>\n';
  body += writeHardDisks(registry.media, '      ', (p) => p);
  body += '      <DVDImages/>\n      <FloppyImages/>\n    </MediaRegistry>\n';
  body += '    <NetserviceRegistry>\n      <DHCPServers/>\n    </NetserviceRegistry>\n';
  body += `    <SystemProperties${xmlAttributes([
    ['defaultMachineFolder', paths.machineFolder],
    ['defaultHardDiskFormat', 'VDI'],
    ['VRDEAuthLibrary', 'VBoxAuth'],
    ['webServiceAuthLibrary', 'VBoxAuth'],
    ['LogHistoryCount', 3],
    ['exclusiveHwVirt', 'true'],
  ])}/>\n`;
  body += '  </Global>\n';
  await saveSettingsFile(paths.registry, `${settingsPrologue(dialect, '1.12')}${body}</VirtualBox>\n`);
}
