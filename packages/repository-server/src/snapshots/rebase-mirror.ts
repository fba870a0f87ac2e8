import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { planDelta } from '@vrs/block-engine';
import type { BorgRepo } from '@vrs/borg';
import { cellHash, encodeManifest, equalBytes } from '@vrs/protocol';
import type { MirrorStore } from '../mirror/mirror-store.js';
import type { CommitSummary } from '../mirror/staging-session.js';
import { SnapshotInfo } from './snapshot-info.js';
import { SnapshotReader } from './snapshot-reader.js';

/**
 * Takes a repository, the mirror store, a VM, an archive and optionally the reader a restore already opened
 * on that archive (it is reused: opening one costs two `borg extract`s); makes the VM's mirror equal that
 * snapshot, locally on the server: cells the mirror holds anywhere are copied within it, only the others come
 * from `borg extract`. Used after a host restored a snapshot in place, so that its next snapshot sends only
 * what changed since. Atomic like any commit. Returns the commit summary, or null when the mirror already is
 * that snapshot (the restore of the newest one): then nothing is written.
 */
export async function rebaseMirror(
  repo: BorgRepo,
  store: MirrorStore,
  vm: string,
  archive: string,
  opened?: SnapshotReader,
): Promise<CommitSummary | null> {
  const reader =
    opened && opened.vm === vm && opened.archive === archive
      ? opened
      : await SnapshotReader.open(repo, store, vm, archive);
  if (await isMirrorState(store, vm, reader)) return null;
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

/** Takes the store, a VM and a reader; returns whether the mirror holds exactly that snapshot: manifests and description. */
async function isMirrorState(store: MirrorStore, vm: string, reader: SnapshotReader): Promise<boolean> {
  for (const disk of reader.info.disks) {
    const mirror = await store.readManifest(vm, disk.uuid);
    if (!mirror || !equalBytes(encodeManifest(mirror), encodeManifest(reader.manifest(disk.uuid)))) return false;
  }
  const described = await readFile(store.layout(vm).snapshotInfo(), 'utf8').then(
    (text) => SnapshotInfo.safeParse(JSON.parse(text)).data ?? null,
    () => null,
  );
  return described !== null && JSON.stringify(described) === JSON.stringify(reader.info);
}
