import { uuidToGuidBytes } from './guid-bytes.js';
import { VDI_SIGNATURE, type VdiHeader, type VdiType } from './vdi-header.js';

const TYPE_CODES: Record<VdiType, number> = { normal: 1, fixed: 2, undo: 3, diff: 4 };

/** Takes a header; returns the 472 bytes of pre-header and 400-byte header that VirtualBox writes. */
export function encodeVdiHeader(h: VdiHeader): Buffer {
  const out = Buffer.alloc(72 + 400);
  out.write(h.fileInfo, 0, 64, 'utf8');
  out.writeUInt32LE(VDI_SIGNATURE, 0x40);
  out.writeUInt32LE(h.version, 0x44);
  out.writeUInt32LE(h.headerSize, 0x48);
  out.writeUInt32LE(TYPE_CODES[h.type], 0x4c);
  out.writeUInt32LE(h.flags, 0x50);
  out.write(h.comment, 0x54, 255, 'utf8');
  out.writeUInt32LE(h.offBlocks, 0x154);
  out.writeUInt32LE(h.offData, 0x158);
  out.writeUInt32LE(h.geometry.cylinders, 0x15c);
  out.writeUInt32LE(h.geometry.heads, 0x160);
  out.writeUInt32LE(h.geometry.sectors, 0x164);
  out.writeUInt32LE(h.geometry.sectorSize, 0x168);
  out.writeBigUInt64LE(BigInt(h.diskSize), 0x170);
  out.writeUInt32LE(h.blockSize, 0x178);
  out.writeUInt32LE(h.blockExtra, 0x17c);
  out.writeUInt32LE(h.blocks, 0x180);
  out.writeUInt32LE(h.blocksAllocated, 0x184);
  out.set(uuidToGuidBytes(h.uuidCreate), 0x188);
  out.set(uuidToGuidBytes(h.uuidModify), 0x198);
  out.set(uuidToGuidBytes(h.uuidLinkage), 0x1a8);
  out.set(uuidToGuidBytes(h.uuidParentModify), 0x1b8);
  // LCHS geometry (0x1c8..0x1d8) stays zero: VirtualBox fills it in on first use.
  out.writeUInt32LE(512, 0x1d4);
  return out;
}
