import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes a VM (or `global`) and a key; returns the argv of `getextradata <vm> <key>`. */
export function makeGetExtraDataArgv(vm: string, key: string): string[] {
  return ['getextradata', vm, key];
}

/** Takes a VM, a key and a value (null deletes the key); returns the argv of `setextradata <vm> <key> [value]`. */
export function makeSetExtraDataArgv(vm: string, key: string, value: string | null): string[] {
  return ['setextradata', vm, key, ...(value === null ? [] : [value])];
}

/** Takes a runner, a VM and a key; returns the value, or null when none is set (`No value set!`). */
export async function getExtraData(run: VBoxRunner, vm: string, key: string): Promise<string | null> {
  const { stdout } = await run(makeGetExtraDataArgv(vm, key), { retry: true });
  const value = /^Value: (.*)$/m.exec(stdout);
  return value ? (value[1] as string) : null;
}

/** Takes a runner, a VM, a key and a value (null deletes it); sets it. Works while the VM runs. */
export async function setExtraData(run: VBoxRunner, vm: string, key: string, value: string | null): Promise<void> {
  await run(makeSetExtraDataArgv(vm, key, value));
}
