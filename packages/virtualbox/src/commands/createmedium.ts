import type { VBoxRunner } from '../run-vboxmanage.js';

/** A new disk image. `sizeMiB` is in MiB, as VBoxManage takes it. */
export interface CreateMediumOptions {
  filename: string;
  sizeMiB: number;
  format?: 'VDI' | 'VMDK' | 'VHD';
  variant?: 'Standard' | 'Fixed';
}

/** Takes options; returns the argv of `createmedium disk --filename F --size MB [--format F] [--variant V]`. */
export function makeCreateMediumArgv(o: CreateMediumOptions): string[] {
  return [
    'createmedium',
    'disk',
    '--filename',
    o.filename,
    '--size',
    String(o.sizeMiB),
    ...(o.format ? ['--format', o.format] : []),
    ...(o.variant ? ['--variant', o.variant] : []),
  ];
}

/** Takes a runner and options; creates the image and returns its UUID. Throws VBoxError. */
export async function createMedium(run: VBoxRunner, o: CreateMediumOptions): Promise<string> {
  const { stdout } = await run(makeCreateMediumArgv(o));
  return (/Medium created\. UUID: ([0-9a-fA-F-]{36})/.exec(stdout)?.[1] ?? '').toLowerCase();
}
