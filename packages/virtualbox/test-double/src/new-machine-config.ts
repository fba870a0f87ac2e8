import { join } from 'node:path';
import { settingsTime } from './format-time.js';
import { generateMac } from './mac-address.js';
import type { MachineConfig, NetworkAdapter } from './machine-config.js';

/**
 * Takes the new machine's UUID, name, OS type and settings file path; returns the settings `createvm`
 * writes: 128 MB, one CPU, BIOS, NIC 1 on NAT with a generated MAC, no storage controllers.
 */
export function newMachineConfig(uuid: string, name: string, osType: string, settingsFile: string): MachineConfig {
  const nicType = osType === 'Other' ? 'Am79C973' : '82540EM';
  const adapters: NetworkAdapter[] = Array.from({ length: 8 }, (_, slot) => ({
    slot,
    enabled: slot === 0,
    mac: slot === 0 ? generateMac() : '',
    type: nicType,
  }));
  return {
    uuid,
    name,
    osType,
    settingsFile,
    snapshotFolder: join(settingsFile, '..', 'Snapshots'),
    currentStateModified: false,
    lastStateChange: settingsTime(Date.now()),
    aborted: false,
    media: [],
    extraData: [],
    hardware: { memoryMB: 128, cpus: 1, firmware: 'BIOS', adapters, controllers: [] },
  };
}
