import { blake3 } from '@napi-rs/blake-hash';
import { VrsError } from '../errors/vrs-error.js';
import { cellCount, type Grid, validateGrid } from '../grid/grid.js';

/** Bytes in one BLAKE3-256 digest. */
export const HASH_LENGTH = 32;

/** The manifest encoding this code writes; it reads every version listed in `readManifest`. */
export const MANIFEST_VERSION = 1;

/** The most cells a manifest may describe: 4 Mi cells (4 TiB in 1 MiB blocks), so decoding stays bounded. */
export const MAX_MANIFEST_CELLS = 4 * 1024 * 1024;

const MAGIC = 0x4d535256; // "VRSM" read as little-endian u32
const FIXED_HEADER = 32;
const GRID_KINDS = ['fixed', 'vdi'] as const;

/**
 * The content of one disk image: its grid, the BLAKE3 hash of every cell, and which cells are all zero.
 * `hashes` holds `cellCount(grid) * 32` bytes; bit i of `zero` (LSB first) flags cell i.
 */
export interface Manifest {
  grid: Grid;
  hashes: Uint8Array;
  zero: Uint8Array;
}

/** Takes a grid; returns a manifest with room for every cell, all hashes zero, no cell flagged. */
export function createManifest(grid: Grid): Manifest {
  const cells = cellCount(validateGrid(grid));
  if (cells > MAX_MANIFEST_CELLS) {
    throw new VrsError('MANIFEST_INVALID', `${cells} cells exceed the limit of ${MAX_MANIFEST_CELLS}`);
  }
  return { grid, hashes: new Uint8Array(cells * HASH_LENGTH), zero: new Uint8Array(Math.ceil(cells / 8)) };
}

/** Takes a manifest and a cell index; returns that cell's hash (a view, not a copy). */
export function cellHash(manifest: Manifest, index: number): Uint8Array {
  return manifest.hashes.subarray(index * HASH_LENGTH, (index + 1) * HASH_LENGTH);
}

/** Takes a manifest and a cell index; returns whether the cell is all zero bytes. */
export function isZeroCell(manifest: Manifest, index: number): boolean {
  return ((manifest.zero[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

/** Records a cell's hash and zero flag in the manifest. */
export function setCell(manifest: Manifest, index: number, hash: Uint8Array, zero: boolean): void {
  manifest.hashes.set(hash, index * HASH_LENGTH);
  const byte = index >> 3;
  const bit = 1 << (index & 7);
  manifest.zero[byte] = zero ? (manifest.zero[byte] ?? 0) | bit : (manifest.zero[byte] ?? 0) & ~bit;
}

/** Takes a manifest; returns the number of cells it describes. */
export function manifestCells(manifest: Manifest): number {
  return manifest.hashes.length / HASH_LENGTH;
}

/**
 * Takes a manifest; returns its binary encoding (version 1):
 * `"VRSM" u16 version, u8 hash algorithm (1 = BLAKE3-256), u8 grid kind (0 fixed, 1 vdi), u64 file size,
 * u32 header length, u32 block size, u32 cell count, u32 reserved`, then the hashes, the zero bitmap, and
 * a BLAKE3 of everything before it. All little-endian. A 50 GiB disk in 1 MiB cells encodes in 1.65 MB.
 */
export function encodeManifest(manifest: Manifest): Uint8Array {
  const cells = manifestCells(manifest);
  const body = FIXED_HEADER + manifest.hashes.length + manifest.zero.length;
  const out = new Uint8Array(body + HASH_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, MANIFEST_VERSION, true);
  view.setUint8(6, 1);
  view.setUint8(7, GRID_KINDS.indexOf(manifest.grid.kind));
  view.setBigUint64(8, BigInt(manifest.grid.fileSize), true);
  view.setUint32(16, manifest.grid.headerLength, true);
  view.setUint32(20, manifest.grid.blockSize, true);
  view.setUint32(24, cells, true);
  out.set(manifest.hashes, FIXED_HEADER);
  out.set(manifest.zero, FIXED_HEADER + manifest.hashes.length);
  out.set(blake3(out.subarray(0, body)), body);
  return out;
}

/**
 * Takes bytes from an untrusted source; returns the manifest they encode.
 * Throws MANIFEST_INVALID for a wrong magic, an unknown version, an inconsistent grid, a length that does
 * not match the cell count, or a checksum mismatch. Never allocates more than the input's size.
 */
export function decodeManifest(bytes: Uint8Array): Manifest {
  if (bytes.length < FIXED_HEADER + HASH_LENGTH) invalid(`only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) invalid('not a vrs manifest (bad magic)');
  const version = view.getUint16(4, true);
  if (version !== MANIFEST_VERSION) invalid(`unknown version ${version}`);
  if (view.getUint8(6) !== 1) invalid(`unknown hash algorithm ${view.getUint8(6)}`);
  const kind = GRID_KINDS[view.getUint8(7)];
  if (kind === undefined) invalid(`unknown grid kind ${view.getUint8(7)}`);
  const fileSize = view.getBigUint64(8, true);
  if (fileSize > BigInt(Number.MAX_SAFE_INTEGER)) invalid('file size out of range');
  const grid = validateGrid({
    kind: kind as Grid['kind'],
    fileSize: Number(fileSize),
    headerLength: view.getUint32(16, true),
    blockSize: view.getUint32(20, true),
  });
  const cells = view.getUint32(24, true);
  if (cells !== cellCount(grid)) invalid(`${cells} cells recorded, the grid has ${cellCount(grid)}`);
  if (cells > MAX_MANIFEST_CELLS) invalid(`${cells} cells exceed the limit`);
  const hashesEnd = FIXED_HEADER + cells * HASH_LENGTH;
  const body = hashesEnd + Math.ceil(cells / 8);
  if (bytes.length !== body + HASH_LENGTH) invalid(`length ${bytes.length}, expected ${body + HASH_LENGTH}`);
  if (!equalBytes(blake3(bytes.subarray(0, body)), bytes.subarray(body))) invalid('checksum mismatch');
  return {
    grid,
    hashes: bytes.slice(FIXED_HEADER, hashesEnd),
    zero: bytes.slice(hashesEnd, body),
  };
}

function invalid(reason: string): never {
  throw new VrsError('MANIFEST_INVALID', `manifest rejected: ${reason}`);
}

/** Takes two byte arrays; returns whether they hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
