import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename } from 'node:fs/promises';

/** Flushes a directory's entries (renames, creations) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Takes a path and bytes; writes them to a temporary sibling, fsyncs it and renames it into place, so a
 * reader (or a crash) sees the old file or the whole new one. Does not fsync the directory.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  let handle: FileHandle | undefined = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } finally {
    await handle?.close();
  }
}
