import { blake3 } from '@napi-rs/blake-hash';
import { z } from 'zod';
import { DisplayName, Uuid } from './common.js';
import { CaptureMethod } from './snapshot.js';
import { Vm } from './vm.js';

/** One VM as a host reports it in its inventory: what `showvminfo` and `showmediuminfo` said. */
export const InventoryVm = Vm.pick({ uuid: true, name: true, state: true, configFile: true, disks: true });
export type InventoryVm = z.infer<typeof InventoryVm>;

/** A host's whole inventory: every registered VM (at most 500). */
export const Inventory = z.object({
  virtualBoxVersion: z.string().max(40).nullable(),
  vms: z.array(InventoryVm).max(500),
});
export type Inventory = z.infer<typeof Inventory>;

/** What the server asks a host to do, pushed over the agent's jobs subscription. */
export const AgentJob = z.discriminatedUnion('kind', [
  z.object({
    id: Uuid,
    kind: z.literal('snapshot'),
    vmUuid: Uuid,
    attempt: z.number().int().min(1),
    label: DisplayName,
    /** Forced by the VM's policy; null lets the agent choose from the host, the folder and the VM state. */
    captureMethod: CaptureMethod.nullable(),
  }),
  z.object({
    id: Uuid,
    kind: z.literal('restore'),
    vmUuid: Uuid,
    attempt: z.number().int().min(1),
    snapshotId: Uuid,
    /** Shut the VM down first (ACPI, then power off after a timeout) instead of refusing a running VM. */
    powerOff: z.boolean(),
    /** Restore the `.vbox` and NVRAM too, not only the disks. */
    withConfig: z.boolean(),
  }),
  z.object({
    id: Uuid,
    kind: z.literal('restore-as-new'),
    vmUuid: Uuid,
    attempt: z.number().int().min(1),
    snapshotId: Uuid,
    /** The new VM's name. */
    name: DisplayName,
  }),
]);
export type AgentJob = z.infer<typeof AgentJob>;

/**
 * Takes a VM UUID and the role of one of its files that has no medium UUID (`config`, `nvram`, `state`);
 * returns the stable UUID the mirror keeps that file under (derived, so every snapshot of the VM agrees).
 */
export function captureFileUuid(vm: string, role: 'config' | 'nvram' | 'state'): string {
  const h = Buffer.from(blake3(`vrs-file:${vm}:${role}`)).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
