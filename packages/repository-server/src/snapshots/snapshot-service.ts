import { readFile } from 'node:fs/promises';
import { BorgError, type BorgRepo, deleteArchive, listArchives } from '@vrs/borg';
import { DEFAULT_BLOCK_SIZE, decodeManifest, encodeManifest, type RetentionPolicy } from '@vrs/protocol';
import type { Logger } from 'pino';
import { ServerError } from '../app/server-error.js';
import type { Repository, Snapshot as SnapshotRow } from '../catalog/generated/prisma/client.js';
import type { Catalog } from '../catalog/open-catalog.js';
import { reconcileSnapshots } from '../catalog/reconcile-snapshots.js';
import type { RepositoryWriter } from '../jobs/repository-writer.js';
import { SerialQueue } from '../jobs/serial-queue.js';
import type { Repositories } from '../repos/repositories.js';
import { archiveSnapshot } from './archive-snapshot.js';
import { pruneVm, setPinned } from './prune-vm.js';
import { rebaseMirror } from './rebase-mirror.js';
import { SnapshotInfo } from './snapshot-info.js';
import { SnapshotReader } from './snapshot-reader.js';
import { type SnapshotView, snapshotView } from './snapshot-view.js';

/** What a commit reported per disk, to record how much each snapshot added. */
export interface DiskFigures {
  uuid: string;
  role: string;
  fileSize: number;
  changedBytes: number;
}

/**
 * Snapshots on the server side: archiving a committed mirror with borg (one writer per repository), the
 * catalog rows (reconciled with `borg list` after every borg operation: borg is the truth), pin, unpin,
 * delete, prune, and opening a snapshot for a restore.
 */
export class SnapshotService {
  /** Mirror rebases under way, one at a time per `host/vm`. */
  private readonly rebases = new SerialQueue();

  constructor(
    private readonly catalog: Catalog,
    private readonly repositories: Repositories,
    private readonly writer: RepositoryWriter,
    private readonly log: Logger,
    private readonly compression: string,
  ) {}

  /**
   * Takes a host, a VM whose mirror holds a committed snapshot, and the figures of that commit; runs
   * `borg create` over the mirror (retrying the name a second later when one exists), records the snapshot
   * and reconciles the catalog. Returns the snapshot. Throws BorgError.
   */
  async archive(hostId: string, vm: string, figures: DiskFigures[] | null): Promise<SnapshotView> {
    const store = this.repositories.mirror(hostId);
    const info = SnapshotInfo.parse(JSON.parse(await readFile(store.layout(vm).snapshotInfo(), 'utf8')));
    const repository = await this.repositories.ofHost(hostId);
    const repo = this.repositories.borg(repository);
    const row = await this.writer.write(repository.path, async () => {
      let at = new Date(Math.floor(Date.parse(info.createdAt) / 1000) * 1000);
      for (let attempt = 0; ; attempt++) {
        try {
          const stats = await archiveSnapshot(repo, store, vm, {
            label: info.label,
            at,
            blockSize: DEFAULT_BLOCK_SIZE,
            compression: this.compression,
          });
          return this.catalog.snapshot.create({
            data: {
              archive: stats.archive,
              vmUuid: vm,
              hostId,
              repositoryId: repository.id,
              label: info.label,
              createdAt: at,
              consistency: info.consistency,
              captureMethod: info.captureMethod,
              disks: JSON.stringify(
                figures ??
                  info.disks.map((d) => ({ uuid: d.uuid, role: d.role, fileSize: d.grid.fileSize, changedBytes: 0 })),
              ),
              stats: JSON.stringify({ originalSize: stats.originalSize, deduplicatedSize: stats.deduplicatedSize }),
            },
          });
        } catch (error) {
          if (!(error instanceof BorgError && error.code === 'CONFLICT') || attempt >= 5) throw error;
          at = new Date(at.getTime() + 1000);
        }
      }
    });
    await this.catalog.vm.updateMany({
      where: { id: vm, hostId },
      data: { lastSnapshotAt: row.createdAt, rpoLateSince: null },
    });
    await this.reconcile(repository);
    return snapshotView(row);
  }

  /**
   * Takes a repository row; makes its snapshot rows match `borg list` (see reconcileSnapshots). Runs in the
   * repository's write queue: a listing taken before a create, rename or delete and applied after it would
   * drop or duplicate that snapshot's row.
   */
  async reconcile(repository: Repository): Promise<void> {
    const result = await this.writer.write(repository.path, async () =>
      reconcileSnapshots(this.catalog, repository, await listArchives(this.repositories.borg(repository))),
    );
    if (result.added.length + result.removed.length + result.repinned.length > 0) {
      this.log.info(
        { repository: repository.name, ...result, foreign: result.foreign.length },
        'catalog reconciled with borg',
      );
    }
  }

  /** Takes a snapshot id; returns its row. Throws SNAPSHOT_NOT_FOUND. */
  async get(id: string): Promise<SnapshotRow> {
    const row = await this.catalog.snapshot.findUnique({ where: { id } });
    if (!row) throw new ServerError('SNAPSHOT_NOT_FOUND', `there is no snapshot ${id}`);
    return row;
  }

  /** Takes a snapshot and the wanted pin state; renames its archive in or out of the prune prefix. */
  async setPinned(id: string, pinned: boolean): Promise<SnapshotView> {
    const row = await this.get(id);
    const repository = await this.repositoryOf(row);
    // The row follows the rename inside the write queue, before any reconcile can list the new name.
    const updated = await this.writer.write(repository.path, async () => {
      const archive = await setPinned(this.repositories.borg(repository), row.archive, pinned);
      return this.catalog.snapshot.update({ where: { id }, data: { archive, pinned } });
    });
    await this.reconcile(repository);
    return snapshotView(updated);
  }

  /** Takes a snapshot; deletes its archive (then compacts nothing: the next prune compacts). */
  async delete(id: string): Promise<void> {
    const row = await this.get(id);
    const repository = await this.repositoryOf(row);
    await this.writer.write(repository.path, () => deleteArchive(this.repositories.borg(repository), row.archive));
    await this.reconcile(repository);
  }

  /**
   * Takes a host, a VM and a retention; prunes the VM's unpinned archives (and compacts), or with `dryRun` only
   * lists what would go. Returns the archives kept and pruned. Needs no host online.
   */
  async prune(
    hostId: string,
    vm: string,
    policy: Pick<RetentionPolicy, 'keepWithin' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly'>,
    dryRun: boolean,
  ): Promise<{ kept: string[]; pruned: string[] }> {
    const repository = await this.repositories.ofHost(hostId);
    const result = await this.writer.write(repository.path, () =>
      pruneVm(this.repositories.borg(repository), vm, policy, { dryRun }),
    );
    if (!dryRun) await this.reconcile(repository);
    return result;
  }

  /**
   * Takes a host, a VM and a snapshot; opens it for a restore. Returns the reader (it serves cells from the
   * mirror when the snapshot is the mirror's state, else from `borg extract`) and each file's manifest.
   */
  async openForRestore(hostId: string, vm: string, snapshotId: string) {
    await this.settled(hostId, vm);
    const row = await this.get(snapshotId);
    if (row.hostId !== hostId || row.vmUuid !== vm) {
      throw new ServerError('FORBIDDEN_HOST', 'that snapshot belongs to another host or VM');
    }
    const repository = await this.repositoryOf(row);
    const reader = await SnapshotReader.open(
      this.repositories.borg(repository),
      this.repositories.mirror(hostId),
      vm,
      row.archive,
    );
    const files = reader.info.disks.map((d) => ({
      uuid: d.uuid,
      role: d.role,
      sourcePath: d.sourcePath,
      manifest: Buffer.from(encodeManifest(reader.manifest(d.uuid))).toString('base64'),
    }));
    return { reader, info: reader.info, files };
  }

  /**
   * Takes a host, a VM, the snapshot restored in place and the reader the restore used (if still open); makes
   * the VM's mirror equal that snapshot, so the next snapshot sends only what changed since the restore.
   */
  async rebase(hostId: string, vm: string, snapshotId: string, reader?: SnapshotReader): Promise<void> {
    const row = await this.get(snapshotId);
    const repository = await this.repositoryOf(row);
    await rebaseMirror(this.repositories.borg(repository), this.repositories.mirror(hostId), vm, row.archive, reader);
  }

  /**
   * Takes what {@link rebase} takes; starts that rebase in the background, after any still running for the VM,
   * and returns at once. The restore it follows is already done: its time must not grow with how far the
   * restored snapshot is from the newest. Whatever next reads the VM's mirror first waits in {@link settled}.
   * A failure (or a stop before the end: the commit is atomic) only leaves the mirror where it was, so the
   * VM's next snapshot sends the cells the restore changed once more; it is logged, not thrown.
   */
  rebaseLater(hostId: string, vm: string, snapshotId: string, reader?: SnapshotReader): void {
    this.rebases
      .run(`${hostId}/${vm}`, () => this.rebase(hostId, vm, snapshotId, reader))
      .catch((error) => this.log.warn({ err: error, vm, snapshot: snapshotId }, 'mirror rebase after restore failed'));
  }

  /** Takes a host and a VM (or nothing: every VM); resolves once no rebase of its mirror is under way. */
  async settled(hostId?: string, vm?: string): Promise<void> {
    await this.rebases.idle(hostId !== undefined && vm !== undefined ? `${hostId}/${vm}` : undefined);
  }

  /** Takes a borg repository; returns it (for stats and checks). */
  borgOf(repository: Repository): BorgRepo {
    return this.repositories.borg(repository);
  }

  private async repositoryOf(row: SnapshotRow): Promise<Repository> {
    const repository = await this.catalog.repository.findUnique({ where: { id: row.repositoryId } });
    if (!repository) throw new ServerError('REPO_NOT_FOUND', `the repository of snapshot ${row.id} is gone`);
    return repository;
  }
}

/** Takes base64 from an agent; returns the manifest it encodes. Throws MANIFEST_INVALID. */
export function manifestFromBase64(text: string) {
  return decodeManifest(Buffer.from(text, 'base64'));
}
