import type { DoubleState, FoundMedium } from './double-state.js';
import { mediumLockState, mediumUsers } from './medium-usage.js';
import { probeVdi } from './probe-vdi.js';

const VARIANTS: Record<string, string> = {
  normal: 'dynamic default',
  fixed: 'fixed default',
  diff: 'differencing default',
  undo: 'dynamic default',
};
const pad = (label: string) => label.padEnd(16, ' ');

/**
 * Takes the state, a registered medium and whether to print the long form; returns `showMediumInfo()`
 * output (reference §1.4): 16-column labels; the short form is what `list hdds` prints, the long form what
 * `showmediuminfo` and `list -l hdds` print (format variant, size on disk, users, children).
 */
export async function formatMediumInfo(state: DoubleState, found: FoundMedium, long: boolean): Promise<string> {
  const { node, parent } = found;
  const probe = await probeVdi(node.location);
  const lockState = probe.ok ? mediumLockState(state, node.uuid) : 'inaccessible';
  let out = `${pad('UUID:')}${node.uuid}\n${pad('Parent UUID:')}${parent?.uuid ?? 'base'}\n${pad('State:')}${lockState}\n`;
  if (long && !probe.ok) {
    out += `${pad('Access Error:')}Could not open the medium '${node.location}'.\n`;
    out += `VD: error ${probe.code} opening image file '${node.location}' (${probe.code})\n`;
  }
  out += `${pad('Type:')}${parent ? 'normal (differencing)' : 'normal (base)'}\n`;
  if (long && parent) out += `${pad('Auto-Reset:')}off\n`;
  out += `${pad('Location:')}${node.location}\n${pad('Storage format:')}${node.format}\n`;
  if (long) out += `${pad('Format variant:')}${probe.ok ? VARIANTS[probe.header.type] : 'dynamic default'}\n`;
  out += `${pad('Capacity:')}${probe.ok ? Math.floor(probe.header.diskSize / 2 ** 20) : 0} MBytes\n`;
  if (long) out += `${pad('Size on disk:')}${probe.ok ? Math.floor(probe.fileSize / 2 ** 20) : 0} MBytes\n`;
  out += `${pad('Encryption:')}disabled\n`;
  if (!long) return out;
  mediumUsers(state, node.uuid).forEach((user, i) => {
    const snaps = user.snapshots.map((s) => ` [${s.name} (UUID: ${s.uuid})]`).join('');
    out += `${i === 0 ? pad('In use by VMs:') : pad('')}${user.machine.config.name} (UUID: ${user.machine.uuid})${snaps}\n`;
  });
  node.children.forEach((child, i) => {
    out += `${i === 0 ? pad('Child UUIDs:') : pad('')}${child.uuid}\n`;
  });
  return out;
}
