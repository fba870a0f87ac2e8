import type { VBoxRunner } from '../run-vboxmanage.js';

/** What a new VM is called and where it goes. */
export interface CreateVmOptions {
  name: string;
  ostype?: string;
  basefolder?: string;
  uuid?: string;
}

/** Takes options; returns the argv of `createvm --name N [--ostype T] [--basefolder D] [--uuid U] --register`. */
export function makeCreateVmArgv(o: CreateVmOptions): string[] {
  return [
    'createvm',
    '--name',
    o.name,
    ...(o.ostype ? ['--ostype', o.ostype] : []),
    ...(o.basefolder ? ['--basefolder', o.basefolder] : []),
    ...(o.uuid ? ['--uuid', o.uuid] : []),
    '--register',
  ];
}

/** Takes a runner and options; creates and registers the VM; returns its UUID and settings file. */
export async function createVm(run: VBoxRunner, o: CreateVmOptions): Promise<{ uuid: string; settingsFile: string }> {
  const { stdout } = await run(makeCreateVmArgv(o));
  return {
    uuid: (/^UUID: ([0-9a-fA-F-]{36})$/m.exec(stdout)?.[1] ?? '').toLowerCase(),
    settingsFile: /^Settings file: '(.*)'$/m.exec(stdout)?.[1] ?? '',
  };
}
