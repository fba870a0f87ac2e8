import type { MachineConfig } from './machine-config.js';

/** Takes extra data pairs and a key; returns the value, or undefined. */
export function getExtraData(items: [string, string][], key: string): string | undefined {
  return items.find(([k]) => k === key)?.[1];
}

/** Takes extra data pairs, a key and a value (undefined or empty deletes the key); changes the pairs in place. */
export function setExtraData(items: [string, string][], key: string, value: string | undefined): void {
  const at = items.findIndex(([k]) => k === key);
  if (value === undefined || value === '') {
    if (at >= 0) items.splice(at, 1);
  } else if (at >= 0) items[at] = [key, value];
  else items.push([key, value]);
}

/** Takes a machine and a key; returns its extra data value. */
export function machineExtraData(machine: MachineConfig, key: string): string | undefined {
  return getExtraData(machine.extraData, key);
}
