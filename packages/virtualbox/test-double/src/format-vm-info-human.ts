import { dirname, join } from 'node:path';
import { apiControllerType, busOfType } from './controller-types.js';
import type { Dialect } from './dialect.js';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { vmStateChangeTime } from './format-time.js';
import { longStateName } from './machine-state.js';
import { osTypeDescription } from './os-types.js';
import { humanSnapshots } from './snapshot-tree.js';

const row = (label: string, value: string | number) => `${label.padEnd(28, ' ')} ${value}\n`;

/**
 * Takes the state, a machine and the dialect; returns the main lines of the human `showvminfo` form
 * (name, OS, UUID, files, memory, state, storage, snapshots). The double prints only this subset.
 */
export function formatVmInfoHuman(state: DoubleState, machine: AccessibleMachine, dialect: Dialect): string {
  const c = machine.config;
  let out = row('Name:', c.name);
  if (dialect.v7) out += 'Encryption:     disabled\n';
  out += row('Groups:', '/') + row('Guest OS:', osTypeDescription(c.osType)) + row('UUID:', c.uuid);
  out += row('Config file:', c.settingsFile) + row('Snapshot folder:', c.snapshotFolder);
  out += row('Log folder:', join(dirname(c.settingsFile), 'Logs')) + row('Hardware UUID:', c.uuid);
  out += row('Memory size:', `${c.hardware.memoryMB}MB`) + row('Number of CPUs:', c.hardware.cpus);
  out += row('Firmware:', c.hardware.firmware);
  out += row(
    'State:',
    `${longStateName(machine.runtime.state)} (since ${vmStateChangeTime(machine.runtime.stateChangeMs)})`,
  );
  if (machine.runtime.sessionName) out += row('Session name:', machine.runtime.sessionName);
  out += 'Storage Controllers:\n';
  c.hardware.controllers.forEach((ctl, i) => {
    const bus = busOfType(ctl.type);
    out += `#${i}: '${ctl.name}', Type: ${apiControllerType(ctl.type)}, Instance: 0, Ports: ${ctl.portCount} (max ${bus.maxPorts}), ${ctl.bootable ? 'Bootable' : 'Not bootable'}\n`;
    for (const a of ctl.attachments) {
      const medium = a.imageUuid ? state.findMedium(a.imageUuid)?.node : undefined;
      out += medium
        ? `  Port ${a.port}, Unit ${a.device}: UUID: ${medium.uuid}\n    Location: "${medium.location}"\n`
        : `  Port ${a.port}, Unit ${a.device}: Empty\n`;
    }
  });
  if (c.snapshot) out += `* Snapshots:\n${humanSnapshots(c)}`;
  return `${out}\n`;
}
