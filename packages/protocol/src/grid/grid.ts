import { VrsError } from '../errors/vrs-error.js';

/** The largest cell vrs moves in one piece: bounds every frame and every buffer. */
export const MAX_CELL_LENGTH = 32 * 1024 * 1024;

/** The fixed cell size used for images without a known layout (raw, VMDK, VHD, .sav, .nvram). */
export const DEFAULT_BLOCK_SIZE = 1024 * 1024;

/**
 * How an image file is cut into cells. A VDI has a header cell `[0, headerLength)` (pre-header, header,
 * block map and padding up to offData) followed by `blockSize` cells; any other file has only fixed cells.
 */
export interface Grid {
  kind: 'vdi' | 'fixed';
  fileSize: number;
  /** Length of cell 0 for VDI (offData); 0 for fixed grids. */
  headerLength: number;
  blockSize: number;
}

/** A cell's byte range in the file. */
export interface CellRange {
  index: number;
  offset: number;
  length: number;
}

/** Takes a grid; returns how many cells cover the file. */
export function cellCount(grid: Grid): number {
  const header = grid.headerLength > 0 ? 1 : 0;
  const rest = Math.max(0, grid.fileSize - grid.headerLength);
  return header + Math.ceil(rest / grid.blockSize);
}

/** Takes a grid and a cell index; returns the cell's offset and length. Throws INVALID_INPUT out of range. */
export function cellRange(grid: Grid, index: number): CellRange {
  if (!Number.isInteger(index) || index < 0 || index >= cellCount(grid)) {
    throw new VrsError('INVALID_INPUT', `cell ${index} is outside the image's ${cellCount(grid)} cells`);
  }
  if (grid.headerLength > 0 && index === 0) return { index, offset: 0, length: grid.headerLength };
  const dataIndex = grid.headerLength > 0 ? index - 1 : index;
  const offset = grid.headerLength + dataIndex * grid.blockSize;
  return { index, offset, length: Math.min(grid.blockSize, grid.fileSize - offset) };
}

/**
 * Takes a grid from an untrusted source; returns it if it is internally consistent.
 * Throws MANIFEST_INVALID naming the first problem found.
 */
export function validateGrid(grid: Grid): Grid {
  const problems: string[] = [];
  if (grid.kind !== 'vdi' && grid.kind !== 'fixed') problems.push(`unknown grid kind ${String(grid.kind)}`);
  if (!Number.isSafeInteger(grid.fileSize) || grid.fileSize < 0) problems.push('file size is not a byte count');
  if (!Number.isInteger(grid.blockSize) || grid.blockSize < 512 || grid.blockSize > MAX_CELL_LENGTH) {
    problems.push(`block size ${grid.blockSize} is outside 512 B..32 MiB`);
  }
  if (!Number.isInteger(grid.headerLength) || grid.headerLength < 0 || grid.headerLength > MAX_CELL_LENGTH) {
    problems.push(`header length ${grid.headerLength} is outside 0..32 MiB`);
  }
  if (grid.kind === 'fixed' && grid.headerLength !== 0) problems.push('a fixed grid has no header cell');
  if (grid.kind === 'vdi' && grid.headerLength === 0) problems.push('a VDI grid needs its header cell');
  if (grid.headerLength > grid.fileSize) problems.push('the header cell is longer than the file');
  if (problems.length > 0) throw new VrsError('MANIFEST_INVALID', `invalid grid: ${problems.join('; ')}`);
  return grid;
}
