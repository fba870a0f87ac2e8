import { join } from 'node:path';

/** Where the double keeps its state under `VRS_VBOX_DOUBLE_HOME`. */
export interface DoublePaths {
  home: string;
  /** The global registry, like `~/.config/VirtualBox/VirtualBox.xml`. */
  registry: string;
  /** The default machine folder parent, `<home>/VirtualBox VMs`. */
  machineFolder: string;
  /** Runtime state of each VM: `<runtime>/<vm-uuid>/`. */
  runtime: string;
  /** The exclusive lock directory taken around every read-modify-write. */
  lock: string;
}

/** Takes the double's home; returns its paths. */
export function doublePaths(home: string): DoublePaths {
  return {
    home,
    registry: join(home, 'VirtualBox.xml'),
    machineFolder: join(home, 'VirtualBox VMs'),
    runtime: join(home, 'runtime'),
    lock: join(home, '.lock'),
  };
}

/** Takes the double's home and a VM UUID; returns the VM's runtime directory. */
export function runtimeDir(home: string, vmUuid: string): string {
  return join(doublePaths(home).runtime, vmUuid);
}
