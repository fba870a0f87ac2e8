import { ImageError } from '../image-error.js';
import { guidBytesToUuid } from './guid-bytes.js';

/** `u32Signature` at 0x40 (bytes `7f 10 da be`). */
export const VDI_SIGNATURE = 0xbeda107f;
/** Version 1.1, the only one VirtualBox ≥ 2 and QEMU write. */
export const VDI_VERSION_1_1 = 0x00010001;
/** Block map entry: not in this image (read through to the parent, or zeros). */
export const VDI_BLOCK_FREE = 0xffffffff;
/** Block map entry: reads as zeros, masking any parent. */
export const VDI_BLOCK_ZERO = 0xfffffffe;
/** Bytes to read to parse any VDI header: pre-header (72) plus the longest header (400). */
export const VDI_HEADER_READ_LENGTH = 512;

const PRE_HEADER_LENGTH = 72;
const MIN_HEADER_LENGTH = 384;
const TYPES = { 1: 'normal', 2: 'fixed', 3: 'undo', 4: 'diff' } as const;

/** VDI image types: dynamic, preallocated, undo, differencing. */
export type VdiType = (typeof TYPES)[keyof typeof TYPES];

/** The fields of a VDI 1.1 header (reference/virtualbox.md §3.1), UUIDs as text. */
export interface VdiHeader {
  fileInfo: string;
  version: number;
  headerSize: number;
  type: VdiType;
  flags: number;
  comment: string;
  offBlocks: number;
  offData: number;
  geometry: { cylinders: number; heads: number; sectors: number; sectorSize: number };
  diskSize: number;
  blockSize: number;
  blockExtra: number;
  blocks: number;
  blocksAllocated: number;
  uuidCreate: string;
  uuidModify: string;
  uuidLinkage: string;
  uuidParentModify: string;
}

/** The all-zero UUID text (unset linkage / parent). */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Takes a file's first bytes; returns whether the VDI signature sits at 0x40. */
export function hasVdiSignature(head: Uint8Array): boolean {
  if (head.length < 0x44) return false;
  return new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0x40, true) === VDI_SIGNATURE;
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder('utf-8', { fatal: false }).decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * Takes the first bytes of a file that carries the VDI signature, its path (for messages) and its size;
 * returns the header. Applies VirtualBox's `vdiValidateHeader` rules plus a file-length check, and throws
 * ImageError IMAGE_CORRUPT (naming every broken rule) or IMAGE_TRUNCATED.
 */
export function parseVdiHeader(head: Uint8Array, path: string, fileSize: number): VdiHeader {
  if (head.length < PRE_HEADER_LENGTH + MIN_HEADER_LENGTH) {
    throw new ImageError(
      'IMAGE_TRUNCATED',
      path,
      `VDI header cut short: ${head.length} of ${PRE_HEADER_LENGTH + MIN_HEADER_LENGTH} bytes`,
    );
  }
  if (!hasVdiSignature(head)) throw new ImageError('IMAGE_CORRUPT', path, 'no VDI signature at 0x40');
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = v.getUint32(0x44, true);
  if (version !== VDI_VERSION_1_1) {
    throw new ImageError(
      'IMAGE_CORRUPT',
      path,
      `unsupported VDI version ${version >>> 16}.${version & 0xffff} (1.1 expected)`,
    );
  }
  const typeCode = v.getUint32(0x4c, true);
  const header: VdiHeader = {
    fileInfo: text(head.subarray(0, 64)),
    version,
    headerSize: v.getUint32(0x48, true),
    type: TYPES[typeCode as keyof typeof TYPES],
    flags: v.getUint32(0x50, true),
    comment: text(head.subarray(0x54, 0x154)),
    offBlocks: v.getUint32(0x154, true),
    offData: v.getUint32(0x158, true),
    geometry: {
      cylinders: v.getUint32(0x15c, true),
      heads: v.getUint32(0x160, true),
      sectors: v.getUint32(0x164, true),
      sectorSize: v.getUint32(0x168, true),
    },
    diskSize: Number(v.getBigUint64(0x170, true)),
    blockSize: v.getUint32(0x178, true),
    blockExtra: v.getUint32(0x17c, true),
    blocks: v.getUint32(0x180, true),
    blocksAllocated: v.getUint32(0x184, true),
    uuidCreate: guidBytesToUuid(head.subarray(0x188, 0x198)),
    uuidModify: guidBytesToUuid(head.subarray(0x198, 0x1a8)),
    uuidLinkage: guidBytesToUuid(head.subarray(0x1a8, 0x1b8)),
    uuidParentModify: guidBytesToUuid(head.subarray(0x1b8, 0x1c8)),
  };
  const problems = headerProblems(header, typeCode);
  if (problems.length > 0) throw new ImageError('IMAGE_CORRUPT', path, `corrupt VDI header: ${problems.join('; ')}`);
  const dataEnd = header.offData + header.blocksAllocated * (header.blockSize + header.blockExtra);
  if (fileSize < header.offData) {
    throw new ImageError(
      'IMAGE_TRUNCATED',
      path,
      `file of ${fileSize} bytes ends before its data area at ${header.offData}`,
    );
  }
  if (fileSize < dataEnd) {
    throw new ImageError(
      'IMAGE_TRUNCATED',
      path,
      `file of ${fileSize} bytes is shorter than its ${header.blocksAllocated} allocated blocks need (${dataEnd})`,
    );
  }
  return header;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function headerProblems(h: VdiHeader, typeCode: number): string[] {
  const p: string[] = [];
  if (h.type === undefined) p.push(`unknown image type ${typeCode}`);
  if (h.headerSize < MIN_HEADER_LENGTH) p.push(`header size ${h.headerSize} < ${MIN_HEADER_LENGTH}`);
  if (h.offBlocks < PRE_HEADER_LENGTH + MIN_HEADER_LENGTH)
    p.push(`block map offset ${h.offBlocks} overlaps the header`);
  if (h.offData < h.offBlocks + 4 * h.blocks) p.push(`data offset ${h.offData} overlaps the block map`);
  if (h.diskSize === 0) p.push('disk size is 0');
  if (!Number.isSafeInteger(h.diskSize)) p.push('disk size is out of range');
  if (!isPowerOfTwo(h.blockSize)) p.push(`block size ${h.blockSize} is not a power of two`);
  if (h.blockExtra !== 0 && !isPowerOfTwo(h.blockExtra)) p.push(`block extra ${h.blockExtra} is not a power of two`);
  if (h.blocks === 0) p.push('block count is 0');
  if (h.blocksAllocated > h.blocks) p.push(`${h.blocksAllocated} allocated blocks exceed ${h.blocks}`);
  if (h.blockSize > 0 && h.blocks * h.blockSize < h.diskSize) p.push('blocks do not cover the disk size');
  if (h.uuidCreate === NIL_UUID) p.push('image UUID is zero');
  if (h.uuidModify === NIL_UUID) p.push('modification UUID is zero');
  if (h.blockSize > 32 * 1024 * 1024) p.push(`block size ${h.blockSize} exceeds 32 MiB`);
  if (h.offData > 32 * 1024 * 1024) p.push(`header region of ${h.offData} bytes exceeds 32 MiB`);
  return p;
}
