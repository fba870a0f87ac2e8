import { open } from 'node:fs/promises';
import { ImageError } from '../image-error.js';
import { VDI_HEADER_READ_LENGTH } from '../vdi/vdi-header.js';

/** Takes a path; returns the file's size and its first 512 bytes (fewer for a shorter file). Throws IMAGE_UNREADABLE. */
export async function readImageHead(path: string): Promise<{ size: number; head: Uint8Array }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile() && !stat.isBlockDevice()) throw new Error('not a regular file');
    const head = Buffer.alloc(Math.min(VDI_HEADER_READ_LENGTH, stat.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { size: stat.size, head: head.subarray(0, bytesRead) };
  } catch (cause) {
    throw new ImageError('IMAGE_UNREADABLE', path, `cannot read: ${(cause as Error).message}`, cause);
  } finally {
    await handle?.close();
  }
}
