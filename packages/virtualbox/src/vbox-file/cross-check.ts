import type { VmInfo } from '../model/vm-info.js';
import { chainFromVbox, type VboxFile } from './read-vbox-file.js';

/**
 * Takes what VBoxManage reported and what the `.vbox` says; returns every disagreement, in words (an empty
 * list means they agree): the machine UUID, each hard disk's leaf image and its chain, and the current
 * snapshot. A non-empty answer means the settings changed under us or a parser is wrong: do not capture.
 */
export function crossCheckVmInfo(info: VmInfo, file: VboxFile): string[] {
  const problems: string[] = [];
  if (info.uuid !== file.uuid) problems.push(`machine UUID ${info.uuid} ≠ ${file.uuid} in the .vbox`);
  const hardDisks = file.attachments.filter((a) => a.type === 'HardDisk' && a.imageUuid);
  if (hardDisks.length !== info.disks.length)
    problems.push(`${info.disks.length} hard disks reported, ${hardDisks.length} in the .vbox`);
  for (const disk of info.disks) {
    const attached = hardDisks.find(
      (a) => a.controller === disk.controller && a.port === disk.port && a.device === disk.device,
    );
    if (!attached) {
      problems.push(`${disk.controller} ${disk.port}:${disk.device} is not a hard disk attachment in the .vbox`);
      continue;
    }
    if (attached.imageUuid !== disk.mediumUuid)
      problems.push(
        `${disk.controller} ${disk.port}:${disk.device}: image ${disk.mediumUuid} ≠ ${attached.imageUuid} in the .vbox`,
      );
    if (disk.chain) {
      const fromFile = chainFromVbox(file, disk.mediumUuid).map((m) => m.uuid);
      const reported = disk.chain.map((c) => c.uuid);
      if (fromFile.join() !== reported.join())
        problems.push(`chain of ${disk.mediumUuid}: ${reported.join(' → ')} ≠ ${fromFile.join(' → ')} in the .vbox`);
    }
  }
  if (info.currentSnapshotUuid !== file.currentSnapshot)
    problems.push(`current snapshot ${info.currentSnapshotUuid} ≠ ${file.currentSnapshot} in the .vbox`);
  return problems;
}
