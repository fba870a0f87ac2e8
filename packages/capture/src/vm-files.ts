import { pathExists } from '@vrs/protocol';
import type { VmInfo } from '@vrs/virtualbox';
import type { CapturedFile } from './capture-types.js';

/**
 * Takes a VM's info (with disk chains); returns its files as a capture reads them in place: every image of
 * every disk's differencing chain (base first), the `.vbox`, the NVRAM and the saved state when they exist.
 */
export async function vmFiles(vm: VmInfo): Promise<CapturedFile[]> {
  const files: CapturedFile[] = [];
  const seen = new Set<string>();
  for (const disk of vm.disks) {
    for (const image of disk.chain ?? [{ uuid: disk.mediumUuid, path: disk.path }]) {
      if (seen.has(image.path)) continue;
      seen.add(image.path);
      files.push({ role: 'disk', sourcePath: image.path, readPath: image.path, mediumUuid: image.uuid });
    }
  }
  files.push({ role: 'config', sourcePath: vm.configFile, readPath: vm.configFile, mediumUuid: null });
  for (const [role, path] of [
    ['nvram', vm.nvramFile],
    ['state', vm.stateFile],
  ] as const) {
    if (path && (await pathExists(path))) files.push({ role, sourcePath: path, readPath: path, mediumUuid: null });
  }
  return files;
}
