import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { promisify } from 'node:util';

/** Marks a temporary file of `writeFileAtomic`: never a finished file. */
export const TMP_MARK = '.tmp-';

/**
 * Takes a path; flushes every dirty page of the filesystem holding it (syncfs(2), through coreutils
 * `sync --file-system`). One call makes a whole batch of unsynced writes durable, far cheaper than an
 * fsync per file (git's batch fsync works the same way).
 */
export async function syncFileSystem(path: string): Promise<void> {
  await promisify(execFile)('sync', ['--file-system', path]);
}

/**
 * Takes a path and bytes; writes them to a temporary sibling, fsyncs it (unless `sync` is false: then a
 * later `syncFileSystem` must run before anything depends on it) and renames it into place, so a reader
 * sees the old file or the whole new one. Does not fsync the directory.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { sync?: boolean } = {},
): Promise<void> {
  const tmp = `${path}${TMP_MARK}${randomBytes(4).toString('hex')}`;
  let handle: FileHandle | undefined = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    if (options.sync !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } finally {
    await handle?.close();
  }
}
