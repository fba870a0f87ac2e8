import { machineExtraData } from './extra-data.js';
import type { MachineConfig } from './machine-config.js';

/** Extra data key: `off` means the guest has no Guest Additions (guestcontrol cannot run anything). */
export const GUEST_ADDITIONS_KEY = 'vrs-double/guest-additions';

/** Takes a machine; returns whether its guest runs the Guest Additions (the default). */
export function guestAdditionsOn(machine: MachineConfig): boolean {
  return machineExtraData(machine, GUEST_ADDITIONS_KEY) !== 'off';
}
