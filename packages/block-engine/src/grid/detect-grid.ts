import { DEFAULT_BLOCK_SIZE, type Grid } from '@vrs/protocol';
import { hasVdiSignature, parseVdiHeader, type VdiHeader } from '../vdi/vdi-header.js';
import { readImageHead } from './read-image-head.js';

/** What a file is and how vrs cuts it. `vdi` is set for VDI images. */
export interface ImageLayout {
  path: string;
  format: 'vdi' | 'raw';
  grid: Grid;
  vdi?: VdiHeader;
}

/**
 * Takes a path; returns its grid. A file with the VDI signature at 0x40 is cut into its header region
 * `[0, offData)` and then blocks of `cbBlock + cbBlockExtra`; anything else into 1 MiB blocks.
 * Throws ImageError: IMAGE_UNREADABLE, or IMAGE_CORRUPT / IMAGE_TRUNCATED for a damaged VDI header.
 */
export async function detectGrid(path: string): Promise<ImageLayout> {
  const { size, head } = await readImageHead(path);
  if (hasVdiSignature(head)) {
    const vdi = parseVdiHeader(head, path, size);
    const grid: Grid = {
      kind: 'vdi',
      fileSize: size,
      headerLength: vdi.offData,
      blockSize: vdi.blockSize + vdi.blockExtra,
    };
    return { path, format: 'vdi', grid, vdi };
  }
  return {
    path,
    format: 'raw',
    grid: { kind: 'fixed', fileSize: size, headerLength: 0, blockSize: DEFAULT_BLOCK_SIZE },
  };
}
