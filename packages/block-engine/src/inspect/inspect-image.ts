import { open } from 'node:fs/promises';
import { cellCount, isZeroCell, type Manifest } from '@vrs/protocol';
import type { ImageLayout } from '../grid/detect-grid.js';
import { type HashImageOptions, hashImage } from '../hash/hash-image.js';
import { ImageError } from '../image-error.js';
import { type BlockMapStats, blockMapStats, readBlockMap } from '../vdi/read-block-map.js';

/** What `vrs image inspect` reports about a file. */
export interface ImageReport {
  path: string;
  format: 'vdi' | 'raw';
  virtualSize: number;
  fileSize: number;
  grid: ImageLayout['grid'];
  cells: number;
  zeroCells: number;
  /** VDI only: the image type, UUIDs and the block map counts (virtual blocks). */
  vdi?: {
    type: string;
    uuid: string;
    modifyUuid: string;
    parentUuid: string | null;
    blocks: number;
    blockSize: number;
    map: BlockMapStats;
  };
}

/** Takes a path; returns the report and the manifest it was built from. Throws ImageError. */
export async function inspectImage(
  path: string,
  options: HashImageOptions = {},
): Promise<{ report: ImageReport; manifest: Manifest; blockMap?: Uint32Array }> {
  const { layout, manifest } = await hashImage(path, options);
  const cells = cellCount(layout.grid);
  let zeroCells = 0;
  for (let i = 0; i < cells; i++) if (isZeroCell(manifest, i)) zeroCells++;
  const report: ImageReport = {
    path,
    format: layout.format,
    virtualSize: layout.vdi?.diskSize ?? layout.grid.fileSize,
    fileSize: layout.grid.fileSize,
    grid: layout.grid,
    cells,
    zeroCells,
  };
  if (!layout.vdi) return { report, manifest };
  const header = layout.vdi;
  const blockMap = await readVdiMap(path, layout);
  report.vdi = {
    type: header.type,
    uuid: header.uuidCreate,
    modifyUuid: header.uuidModify,
    parentUuid: header.type === 'diff' ? header.uuidLinkage : null,
    blocks: header.blocks,
    blockSize: header.blockSize,
    map: blockMapStats(blockMap, header, path),
  };
  return { report, manifest, blockMap };
}

async function readVdiMap(path: string, layout: ImageLayout): Promise<Uint32Array> {
  const header = layout.vdi;
  if (!header) throw new TypeError('not a VDI layout');
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new ImageError('IMAGE_UNREADABLE', path, `cannot open: ${(cause as Error).message}`, cause);
  });
  try {
    return await readBlockMap(handle, header, path);
  } finally {
    await handle.close();
  }
}
