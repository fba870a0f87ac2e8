import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cellRange, decodeManifest, isZeroCell, type Manifest, Uuid } from '@vrs/protocol';
import { SerialQueue } from '../jobs/serial-queue.js';
import { applyCommit, COMMIT_FILE } from './commit-record.js';
import { MirrorError } from './mirror-error.js';
import { checkUuid, MirrorLayout } from './mirror-layout.js';
import { type CommitDisk, type CommitSummary, StagingSession } from './staging-session.js';

/** What `recover()` found: commits it finished, and staging sessions kept for a resumed transfer. */
export interface RecoverReport {
  finished: { vm: string; session: string }[];
  pending: { vm: string; session: string; kept: number; dropped: number }[];
}

/**
 * The server's mirrors: for each VM, the current content of each disk as one file per cell position plus
 * a manifest, the tree `borg create` archives. Commits are atomic and serialized per VM.
 */
export class MirrorStore {
  private readonly commits = new SerialQueue();

  constructor(readonly root: string) {}

  /** Takes a VM UUID; returns its path layout. Throws INVALID_INPUT for a non-UUID. */
  layout(vm: string): MirrorLayout {
    return new MirrorLayout(this.root, vm);
  }

  /** Takes a VM and a disk; returns the mirror's manifest, or null when the mirror holds no such disk. */
  async readManifest(vm: string, disk: string): Promise<Manifest | null> {
    const path = this.layout(vm).manifest(disk);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return decodeManifest(bytes);
    } catch (error) {
      throw new MirrorError('MANIFEST_INVALID', `the mirror manifest ${path} is damaged: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Takes a VM; returns the UUIDs of the disks its mirror holds. */
  async listDisks(vm: string): Promise<string[]> {
    try {
      return (await readdir(join(this.layout(vm).vmDir, 'disks'))).filter((d) => checkUuidSafe(d));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /**
   * Takes a VM, a disk, a cell position and the manifest it belongs to; returns the cell's bytes (zeros for
   * an all-zero cell). Throws MIRROR_INCOMPLETE when the block file is missing.
   */
  async readBlock(vm: string, disk: string, position: number, manifest: Manifest): Promise<Uint8Array> {
    const { length } = cellRange(manifest.grid, position);
    if (isZeroCell(manifest, position)) return new Uint8Array(length);
    try {
      return await readFile(this.layout(vm).block(disk, position));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new MirrorError('MIRROR_INCOMPLETE', `the mirror of disk ${disk} lacks cell ${position}`, { cause: error });
    }
  }

  /** Takes a VM and a transfer (job) id; returns its staging session, new or resumed. */
  session(vm: string, id: string): StagingSession {
    return new StagingSession(this.layout(vm), id, (disk) => this.readManifest(vm, disk));
  }

  /** Commits a session, one commit per VM at a time (see StagingSession.commit). */
  commit(
    vm: string,
    session: StagingSession,
    disks: readonly CommitDisk[],
    snapshotInfo: unknown,
  ): Promise<CommitSummary> {
    return this.commits.run(checkUuid(vm, 'VM'), () => session.commit(disks, snapshotInfo));
  }

  /** Takes a VM and a session; removes its staged data (a cancelled transfer). */
  async discardSession(vm: string, id: string): Promise<void> {
    await rm(this.layout(vm).session(id), { recursive: true, force: true });
  }

  /**
   * Runs at start: finishes every commit that wrote its COMMIT record, and re-verifies the blocks of the
   * other staging sessions (kept, so that a reconnecting agent resumes them; blocks a crash damaged are
   * dropped and sent again). Idempotent.
   */
  async recover(): Promise<RecoverReport> {
    const report: RecoverReport = { finished: [], pending: [] };
    for (const vm of await listUuids(this.root)) {
      const layout = this.layout(vm);
      for (const session of await listUuids(layout.stagingRoot())) {
        const dir = layout.session(session);
        const committed = await stat(join(dir, COMMIT_FILE)).then(
          () => true,
          () => false,
        );
        if (committed) {
          await applyCommit(layout, dir);
          report.finished.push({ vm, session });
        } else {
          report.pending.push({ vm, session, ...(await this.session(vm, session).verifyStaged()) });
        }
      }
    }
    return report;
  }
}

function checkUuidSafe(value: string): boolean {
  return Uuid.safeParse(value).success;
}

async function listUuids(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(checkUuidSafe);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
