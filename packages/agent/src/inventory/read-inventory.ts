import { detectGrid } from '@vrs/block-engine';
import type { Inventory, InventoryVm } from '@vrs/protocol';
import { listVms, type VirtualBox } from '@vrs/virtualbox';

/**
 * Takes the driver; returns every registered VM as the server's inventory wants it: state, settings file,
 * and each hard disk with its whole differencing chain and virtual size (from the VDI header; the file size
 * for other formats). A VM that cannot be read right now (inaccessible, or gone between the list and the
 * look) is left out and named in `skipped`.
 */
export async function readInventory(vbox: VirtualBox): Promise<{ inventory: Inventory; skipped: string[] }> {
  const vms: InventoryVm[] = [];
  const skipped: string[] = [];
  for (const entry of await listVms(vbox.run)) {
    try {
      const info = await vbox.inspect(entry.uuid);
      if (info.inaccessible) {
        skipped.push(entry.uuid);
        continue;
      }
      const disks = [];
      for (const disk of info.disks) {
        const chain = disk.chain ?? [];
        const base = chain[0];
        const layout = await detectGrid(disk.path).catch(() => null);
        disks.push({
          uuid: base?.uuid ?? disk.mediumUuid,
          controller: disk.controller,
          port: disk.port,
          device: disk.device,
          format: disk.format ?? 'RAW',
          path: disk.path,
          virtualSize: layout?.vdi?.diskSize ?? layout?.grid.fileSize ?? 0,
          chain: chain.length > 0 ? chain : [{ uuid: disk.mediumUuid, path: disk.path, format: disk.format ?? 'RAW' }],
        });
      }
      vms.push({ uuid: info.uuid, name: info.name, state: info.state, configFile: info.configFile, disks });
    } catch {
      skipped.push(entry.uuid);
    }
  }
  return { inventory: { virtualBoxVersion: vbox.version.text ?? null, vms }, skipped };
}
