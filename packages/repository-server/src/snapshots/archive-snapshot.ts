import { type BorgProgressEvent, type BorgRepo, type CreateStats, createArchive } from '@vrs/borg';
import type { MirrorStore } from '../mirror/mirror-store.js';
import { makeArchiveName } from './archive-name.js';

/** Options of `archiveSnapshot`. */
export interface ArchiveOptions {
  /** A label for people, kept as the archive comment. */
  label: string;
  at?: Date;
  /** The chunker's fixed block size: the mirror's cell size, so each block file is one chunk. */
  blockSize: number;
  compression?: string;
  onProgress?: (event: BorgProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Takes a repository, the mirror store and a VM; runs `borg create` over the VM's committed mirror
 * (`vrs-snapshot.json` and `disks/`, never `staging/`) with the fixed chunker and a files cache per VM, so
 * unchanged block files are skipped without being read. Returns borg's statistics. Throws BorgError.
 * The caller serializes writes to the repository (RepositoryWriter).
 */
export async function archiveSnapshot(
  repo: BorgRepo,
  store: MirrorStore,
  vm: string,
  options: ArchiveOptions,
): Promise<CreateStats> {
  const layout = store.layout(vm);
  return createArchive(repo, {
    archive: makeArchiveName(vm, options.at ?? new Date()),
    comment: options.label,
    paths: ['vrs-snapshot.json', 'disks'],
    cwd: layout.vmDir,
    chunkerBlockSize: options.blockSize,
    compression: options.compression ?? 'lz4',
    ...(options.at ? { timestamp: options.at } : {}),
    filesCacheSuffix: vm,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
