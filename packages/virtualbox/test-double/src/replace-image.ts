import type { Hardware, MachineConfig } from './machine-config.js';
import { listSnapshots } from './snapshot-tree.js';

/** Takes hardware, an image UUID and its replacement; repoints every attachment of the first to the second. */
export function replaceImageIn(hardware: Hardware, from: string, to: string): void {
  for (const c of hardware.controllers) for (const a of c.attachments) if (a.imageUuid === from) a.imageUuid = to;
}

/** Takes a machine, an image UUID and its replacement; repoints the current state and every snapshot. */
export function replaceImageEverywhere(machine: MachineConfig, from: string, to: string): void {
  replaceImageIn(machine.hardware, from, to);
  for (const p of listSnapshots(machine)) replaceImageIn(p.node.hardware, from, to);
}
