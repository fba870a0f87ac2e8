import { resolveChain } from './commands/showmediuminfo.js';
import { showVmInfo } from './commands/showvminfo.js';
import { dialectOf, getVBoxVersion, type VBoxVersion } from './commands/version.js';
import { locateVBoxManage } from './locate-vboxmanage.js';
import type { VmInfo } from './model/vm-info.js';
import type { Dialect } from './parse/parse-machine-readable.js';
import { makeVBoxRunner, type VBoxRunner } from './run-vboxmanage.js';

/** How to reach VirtualBox: a configured VBoxManage path, or a runner (unit tests inject one to check argv). */
export interface ConnectOptions {
  binary?: string;
  runner?: VBoxRunner;
}

/**
 * The driver's entry point: a located VBoxManage of a supported version, its output dialect, and the runner
 * every command module takes. Agents make one per process.
 */
export class VirtualBox {
  private constructor(
    readonly run: VBoxRunner,
    readonly version: VBoxVersion,
    readonly dialect: Dialect,
  ) {}

  /** Takes options; locates VBoxManage, checks its version (≥ 6.1) and returns the driver. Throws VBOX_UNAVAILABLE. */
  static async connect(options: ConnectOptions = {}): Promise<VirtualBox> {
    const run = options.runner ?? makeVBoxRunner(await locateVBoxManage(options.binary));
    const version = await getVBoxVersion(run);
    return new VirtualBox(run, version, dialectOf(version));
  }

  /**
   * Takes a VM name or UUID; returns its VmInfo with every hard disk's format and differencing chain
   * (`showmediuminfo` along `Parent UUID`). Throws VBoxError.
   */
  async inspect(vm: string): Promise<VmInfo> {
    const info = await showVmInfo(this.run, vm, this.dialect);
    for (const disk of info.disks) {
      disk.chain = await resolveChain(this.run, disk.mediumUuid);
      disk.format = disk.chain.at(-1)?.format ?? 'RAW';
    }
    return info;
  }
}
