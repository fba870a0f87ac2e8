import { open } from 'node:fs/promises';

/**
 * Takes a directory; flushes its entries (renames, creations) to disk, so that a rename into it survives a
 * power loss. Does nothing on Windows, where a directory cannot be opened for that (nor needs to be).
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
