import { open } from 'node:fs/promises';
import { blockEngine } from './block-engine.js';

/**
 * Takes a differencing VDI and its new parent's image and modify UUIDs; rewrites `uuidLinkage` (0x1A8) and
 * `uuidParentModify` (0x1B8) in place, as VD does to the children of a merged image.
 */
export async function patchVdiLinks(path: string, parentUuid: string, parentModifyUuid: string): Promise<void> {
  const { uuidToGuidBytes } = await blockEngine();
  const handle = await open(path, 'r+');
  try {
    await handle.write(uuidToGuidBytes(parentUuid), 0, 16, 0x1a8);
    await handle.write(uuidToGuidBytes(parentModifyUuid), 0, 16, 0x1b8);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
