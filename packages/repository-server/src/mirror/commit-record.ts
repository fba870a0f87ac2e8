import { mkdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from '@vrs/protocol';
import { z } from 'zod';
import { blockRelativePath, type MirrorLayout } from './mirror-layout.js';

/** The name of the commit record in a staging session: its presence is the commit's point of no return. */
export const COMMIT_FILE = 'COMMIT';

const DiskOps = z.object({
  disk: z.string(),
  /** [position, staged file name relative to the session] to rename into the mirror. */
  puts: z.array(z.tuple([z.number().int().nonnegative(), z.string()])),
  /** Positions whose block file goes (all-zero cells, cells past the new end). */
  deletes: z.array(z.number().int().nonnegative()),
  /** Staged manifest and layout files, relative to the session. */
  manifest: z.string(),
  layout: z.string(),
});

/** What a commit does, written before it does it, so that recovery can finish it. */
export const CommitRecord = z.object({
  version: z.literal(1),
  disks: z.array(DiskOps),
  /** Staged vrs-snapshot.json, relative to the session. */
  snapshotInfo: z.string(),
});
export type CommitRecord = z.infer<typeof CommitRecord>;

async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Takes a mirror layout and a session directory holding a COMMIT record; applies the record and removes the
 * session. Idempotent: a rename whose source is gone was done before, a delete of a missing file too, so a
 * commit interrupted at any instant is finished by running this again.
 */
export async function applyCommit(layout: MirrorLayout, sessionDir: string): Promise<void> {
  const record = CommitRecord.parse(JSON.parse(await readFile(join(sessionDir, COMMIT_FILE), 'utf8')));
  for (const ops of record.disks) {
    const diskDir = layout.diskDir(ops.disk);
    const touched = new Set<string>();
    for (const [position, staged] of ops.puts) {
      const target = join(diskDir, blockRelativePath(position));
      if (await renameIfPresent(join(sessionDir, staged), target)) touched.add(dirname(target));
    }
    for (const position of ops.deletes) {
      const target = join(diskDir, blockRelativePath(position));
      await unlink(target).then(
        () => touched.add(dirname(target)),
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
    }
    await renameIfPresent(join(sessionDir, ops.layout), join(diskDir, 'layout'));
    await renameIfPresent(join(sessionDir, ops.manifest), layout.manifest(ops.disk));
    touched.add(diskDir);
    for (const dir of touched) await fsyncDir(dir);
  }
  await renameIfPresent(join(sessionDir, record.snapshotInfo), layout.snapshotInfo());
  await fsyncDir(layout.vmDir);
  // The record goes first: what is left after it is only staging, never replayed.
  await unlink(join(sessionDir, COMMIT_FILE));
  await fsyncDir(sessionDir);
  await rm(sessionDir, { recursive: true, force: true });
}

/** Makes the block folders a record needs, so that applying it allocates nothing (a full disk fails before). */
export async function makeBlockDirs(layout: MirrorLayout, record: CommitRecord): Promise<void> {
  const dirs = new Set<string>();
  for (const ops of record.disks) {
    for (const [position] of ops.puts) dirs.add(dirname(join(layout.diskDir(ops.disk), blockRelativePath(position))));
  }
  for (const dir of dirs) await mkdir(dir, { recursive: true });
}
