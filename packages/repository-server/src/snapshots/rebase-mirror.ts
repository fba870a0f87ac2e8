import { randomUUID } from 'node:crypto';
import { planDelta } from '@vrs/block-engine';
import type { BorgRepo } from '@vrs/borg';
import { cellHash } from '@vrs/protocol';
import type { MirrorStore } from '../mirror/mirror-store.js';
import type { CommitSummary } from '../mirror/staging-session.js';
import { SnapshotReader } from './snapshot-reader.js';

/**
 * Takes a repository, the mirror store, a VM and an archive; makes the VM's mirror equal that snapshot,
 * locally on the server: cells the mirror holds anywhere are copied within it, only the others come from
 * `borg extract`. Used after a host restored an older snapshot in place, so that its next snapshot sends
 * only what changed since. Atomic like any commit. Returns the commit summary.
 */
export async function rebaseMirror(
  repo: BorgRepo,
  store: MirrorStore,
  vm: string,
  archive: string,
): Promise<CommitSummary> {
  const reader = await SnapshotReader.open(repo, store, vm, archive);
  const session = store.session(vm, randomUUID());
  try {
    const disks = [];
    for (const disk of reader.info.disks) {
      const target = reader.manifest(disk.uuid);
      const plan = planDelta(target, await store.readManifest(vm, disk.uuid));
      for await (const cell of reader.readCells(disk.uuid, plan.send)) {
        await session.stageBlock(disk.uuid, cell.position, cellHash(target, cell.position), cell.bytes);
      }
      disks.push({ uuid: disk.uuid, manifest: target });
    }
    return await store.commit(vm, session, disks, reader.info);
  } catch (error) {
    await store.discardSession(vm, session.id);
    throw error;
  }
}
