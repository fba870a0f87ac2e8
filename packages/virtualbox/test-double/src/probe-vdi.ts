import { open } from 'node:fs/promises';
import type { VdiHeader } from '@vrs/block-engine';
import { blockEngine } from './block-engine.js';

/** What opening an image file found: its header and file size, or why it could not be read. */
export type ImageProbe =
  | { ok: true; header: VdiHeader; fileSize: number }
  | { ok: false; code: string; detail: string };

/** Takes an image path; reads and validates its VDI header (parseVdiHeader). Never throws. */
export async function probeVdi(path: string): Promise<ImageProbe> {
  const { parseVdiHeader, VDI_HEADER_READ_LENGTH } = await blockEngine();
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'VERR_FILE_NOT_FOUND' : 'VERR_ACCESS_DENIED';
    return { ok: false, code, detail: (error as Error).message };
  }
  try {
    const head = Buffer.alloc(VDI_HEADER_READ_LENGTH);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const fileSize = (await handle.stat()).size;
    return { ok: true, header: parseVdiHeader(head.subarray(0, bytesRead), path, fileSize), fileSize };
  } catch (error) {
    return { ok: false, code: 'VERR_VD_VDI_INVALID_HEADER', detail: (error as Error).message };
  } finally {
    await handle.close();
  }
}
