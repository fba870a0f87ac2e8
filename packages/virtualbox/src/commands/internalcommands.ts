import type { VBoxRunner } from '../run-vboxmanage.js';

/** Takes an image file and an optional UUID; returns the argv of `internalcommands sethduuid <file> [uuid]`. */
export function makeSetHdUuidArgv(file: string, uuid?: string): string[] {
  return ['internalcommands', 'sethduuid', file, ...(uuid ? [uuid] : [])];
}

/** Takes a runner, an image and an optional UUID; gives the image a new UUID (restore as a new VM). */
export async function setHdUuid(run: VBoxRunner, file: string, uuid?: string): Promise<void> {
  await run(makeSetHdUuidArgv(file, uuid));
}
