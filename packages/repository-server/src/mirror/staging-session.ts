import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import type { Reference } from '@vrs/block-engine';
import {
  cellCount,
  cellHash,
  cellRange,
  encodeManifest,
  equalBytes,
  fsyncDir,
  HASH_LENGTH,
  isZeroCell,
  type Manifest,
  manifestCells,
  validateGrid,
} from '@vrs/protocol';
import { applyCommit, COMMIT_FILE, type CommitRecord, makeBlockDirs } from './commit-record.js';
import { syncFileSystem, writeFileAtomic } from './durable-fs.js';
import { fsFailure, MirrorError } from './mirror-error.js';
import { checkPosition, checkUuid, type MirrorLayout } from './mirror-layout.js';

/** A disk's part of a commit: its complete new manifest and, optionally, the references the agent planned. */
export interface CommitDisk {
  uuid: string;
  manifest: Manifest;
  references?: readonly Reference[];
}

/** What a commit changed, per disk. */
export interface CommitSummary {
  disks: { uuid: string; written: number; copied: number; deleted: number; unchanged: number }[];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * One transfer's staging area in a VM's mirror. Blocks are verified and staged as they arrive (a resumed
 * transfer finds them still there); `commit` then switches the mirror to the new manifests atomically.
 */
export class StagingSession {
  readonly dir: string;
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly layout: MirrorLayout,
    readonly id: string,
    private readonly readManifest: (disk: string) => Promise<Manifest | null>,
  ) {
    this.dir = layout.session(id);
  }

  /**
   * Takes a disk, a cell position, the cell's BLAKE3 hash and its bytes; verifies and stages them. They
   * become durable at the commit (one syncfs); after a crash, `MirrorStore.recover()` re-verifies what is
   * staged. Throws BLOCK_HASH_MISMATCH (nothing staged), INVALID_INPUT or DISK_FULL.
   */
  async stageBlock(disk: string, position: number, hash: Uint8Array, bytes: Uint8Array): Promise<void> {
    checkUuid(disk, 'disk');
    checkPosition(position);
    if (hash.length !== HASH_LENGTH) throw new MirrorError('INVALID_INPUT', 'a block hash has 32 bytes');
    if (!equalBytes(blake3(bytes), hash)) {
      throw new MirrorError(
        'BLOCK_HASH_MISMATCH',
        `cell ${position} of disk ${disk} does not match its hash; nothing was staged`,
      );
    }
    const dir = join(this.dir, 'disks', disk);
    try {
      if (!this.madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      await writeFileAtomic(join(dir, `${position}-${hex(hash)}`), bytes, { sync: false });
    } catch (error) {
      throw fsFailure(error, `staging cell ${position} of disk ${disk}`);
    }
  }

  /** Takes a disk; returns the positions staged so far with their hashes (hex), for a resumed transfer. */
  async stagedCells(disk: string): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const name of await this.stagedNames(checkUuid(disk, 'disk'))) {
      const match = /^(\d+)-([0-9a-f]{64})$/.exec(name);
      if (match) out.set(Number(match[1]), match[2] as string);
    }
    return out;
  }

  /**
   * Takes every disk's complete new manifest and the snapshot description; switches the mirror to them. A
   * cell must be unchanged, all zero, staged, or held by the mirror at some position (then it is copied
   * before anything is overwritten). Throws MIRROR_INCOMPLETE (naming missing cells), INVALID_INPUT or
   * DISK_FULL, leaving the mirror as it was. Once the COMMIT record is written, a crash at any instant is
   * finished by `MirrorStore.recover()`.
   */
  async commit(disks: readonly CommitDisk[], snapshotInfo: unknown): Promise<CommitSummary> {
    const plans = [];
    for (const disk of disks) plans.push(await this.planDisk(disk));
    const record: CommitRecord = { version: 1, disks: [], snapshotInfo: 'vrs-snapshot.json' };
    try {
      for (const plan of plans) {
        const staged = join(this.dir, 'disks', plan.uuid);
        await mkdir(staged, { recursive: true });
        for (const copy of plan.copies) {
          const tmp = join(staged, `${copy.name}.copy`);
          await copyFile(this.layout.block(plan.uuid, copy.source), tmp, constants.COPYFILE_FICLONE);
          await rename(tmp, join(staged, copy.name));
        }
        await writeFileAtomic(join(staged, 'manifest.vrsm'), encodeManifest(plan.manifest), { sync: false });
        await writeFileAtomic(join(staged, 'layout'), layoutText(plan.manifest), { sync: false });
        record.disks.push({
          disk: plan.uuid,
          puts: plan.puts.map(([p, name]) => [p, `disks/${plan.uuid}/${name}`]),
          deletes: plan.deletes,
          manifest: `disks/${plan.uuid}/manifest.vrsm`,
          layout: `disks/${plan.uuid}/layout`,
        });
      }
      await writeFileAtomic(join(this.dir, record.snapshotInfo), `${JSON.stringify(snapshotInfo, null, 2)}\n`, {
        sync: false,
      });
      await makeBlockDirs(this.layout, record);
      // Staged blocks, copies and manifests were written without fsync: one syncfs makes them all durable
      // before the record that commits them.
      await syncFileSystem(this.dir);
      await writeFileAtomic(join(this.dir, COMMIT_FILE), JSON.stringify(record));
      await fsyncDir(this.dir);
    } catch (error) {
      throw fsFailure(error, 'preparing the commit');
    }
    await applyCommit(this.layout, this.dir);
    return {
      disks: plans.map((p) => ({
        uuid: p.uuid,
        written: p.puts.length - p.copies.length,
        copied: p.copies.length,
        deleted: p.deletes.length,
        unchanged: p.unchanged,
      })),
    };
  }

  /**
   * Re-reads every staged block and removes any that does not match the hash in its name, and any partial
   * file: after a crash, unsynced writes may have been lost. Returns how many blocks were kept and dropped.
   */
  async verifyStaged(): Promise<{ kept: number; dropped: number }> {
    const result = { kept: 0, dropped: 0 };
    const disks = await readdir(join(this.dir, 'disks')).catch(() => [] as string[]);
    for (const disk of disks) {
      for (const name of await this.stagedNames(disk)) {
        const path = join(this.dir, 'disks', disk, name);
        const match = /^\d+-([0-9a-f]{64})$/.exec(name);
        if (match && hex(blake3(await readFile(path))) === match[1]) {
          result.kept++;
        } else {
          await rm(path, { force: true });
          if (match) result.dropped++;
        }
      }
    }
    return result;
  }

  private async stagedNames(disk: string): Promise<Set<string>> {
    try {
      return new Set(await readdir(join(this.dir, 'disks', disk)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
      throw error;
    }
  }

  private async planDisk(disk: CommitDisk) {
    const uuid = checkUuid(disk.uuid, 'disk');
    const target = disk.manifest;
    validateGrid(target.grid);
    if (manifestCells(target) !== cellCount(target.grid))
      throw new MirrorError('MANIFEST_INVALID', `manifest of disk ${uuid} does not match its grid`);
    const old = await this.readManifest(uuid);
    const oldCells = old ? manifestCells(old) : 0;
    const held = new Map<string, number>();
    if (old) for (let j = oldCells - 1; j >= 0; j--) if (!isZeroCell(old, j)) held.set(hex(cellHash(old, j)), j);
    const hinted = new Map((disk.references ?? []).map((r) => [r.position, r.source]));
    const names = await this.stagedNames(uuid);
    const plan = {
      uuid,
      manifest: target,
      puts: [] as [number, string][],
      copies: [] as { source: number; name: string }[],
      deletes: [] as number[],
      unchanged: 0,
    };
    const missing: number[] = [];
    for (let i = 0; i < cellCount(target.grid); i++) {
      const oldHolds = old !== null && i < oldCells && !isZeroCell(old, i);
      if (isZeroCell(target, i)) {
        if (oldHolds) plan.deletes.push(i);
        continue;
      }
      const hash = hex(cellHash(target, i));
      const length = cellRange(target.grid, i).length;
      if (oldHolds && old && hex(cellHash(old, i)) === hash && cellRange(old.grid, i).length === length) {
        plan.unchanged++;
        continue;
      }
      const name = `${i}-${hash}`;
      const source = held.get(hash);
      if (names.has(name)) {
        plan.puts.push([i, name]);
      } else if (source !== undefined) {
        plan.puts.push([i, name]);
        plan.copies.push({ source, name });
      } else {
        missing.push(i);
      }
      const hint = hinted.get(i);
      if (hint !== undefined && (old === null || hint >= oldCells || hex(cellHash(old, hint)) !== hash)) {
        throw new MirrorError(
          'INVALID_INPUT',
          `reference of cell ${i} to cell ${hint}: the mirror does not hold that content there`,
        );
      }
    }
    for (let i = cellCount(target.grid); i < oldCells; i++) if (old && !isZeroCell(old, i)) plan.deletes.push(i);
    if (missing.length > 0) {
      throw new MirrorError(
        'MIRROR_INCOMPLETE',
        `${missing.length} cells of disk ${uuid} were never sent (first: ${missing.slice(0, 8).join(', ')}); the mirror is unchanged`,
        { details: { disk: uuid, missing: missing.slice(0, 100) } },
      );
    }
    return plan;
  }
}

/** The shell-readable layout file beside each manifest (README, "Recover without vrs"). */
function layoutText(m: Manifest): string {
  return `size=${m.grid.fileSize}\nheader=${m.grid.headerLength}\nblock=${m.grid.blockSize}\ncells=${cellCount(m.grid)}\n`;
}
