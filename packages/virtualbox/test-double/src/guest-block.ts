import { createHash } from 'node:crypto';

/** The 8 bytes every block the guest writer writes starts with. */
export const GUEST_BLOCK_MAGIC = Buffer.from('VRSGBLK1', 'latin1');
/** Bytes of the guest block header: magic, seq (u64), block (u32), seed (u32), 8 reserved, SHA-256 of the payload. */
export const GUEST_BLOCK_HEADER = 64;

/** What a guest block's header says. */
export interface GuestBlockHeader {
  seq: number;
  block: number;
  seed: number;
}

/** A parsed guest block: its header, and whether its payload still matches the checksum. */
export interface ParsedGuestBlock extends GuestBlockHeader {
  checksumOk: boolean;
}

/**
 * Takes the block size and the header fields; returns one whole block: the header, then a payload
 * determined by (seed, seq, block) alone.
 */
export function makeGuestBlock(size: number, header: GuestBlockHeader): Buffer {
  const out = Buffer.alloc(size);
  GUEST_BLOCK_MAGIC.copy(out, 0);
  out.writeBigUInt64LE(BigInt(header.seq), 8);
  out.writeUInt32LE(header.block >>> 0, 16);
  out.writeUInt32LE(header.seed >>> 0, 20);
  fillPayload(out.subarray(GUEST_BLOCK_HEADER), header);
  createHash('sha256').update(out.subarray(GUEST_BLOCK_HEADER)).digest().copy(out, 32);
  return out;
}

/** Takes a block's bytes; returns its header and checksum verdict, or undefined when it is no guest block. */
export function parseGuestBlock(data: Buffer): ParsedGuestBlock | undefined {
  if (data.length < GUEST_BLOCK_HEADER || !data.subarray(0, 8).equals(GUEST_BLOCK_MAGIC)) return undefined;
  const digest = createHash('sha256').update(data.subarray(GUEST_BLOCK_HEADER)).digest();
  return {
    seq: Number(data.readBigUInt64LE(8)),
    block: data.readUInt32LE(16),
    seed: data.readUInt32LE(20),
    checksumOk: digest.equals(data.subarray(32, 64)),
  };
}

function fillPayload(payload: Buffer, h: GuestBlockHeader): void {
  // xorshift32 seeded from the three fields; never zero.
  let x =
    (Math.imul(h.seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(h.seq, 0xc2b2ae35) ^ Math.imul(h.block + 1, 0x27d4eb2f)) >>>
    0;
  if (x === 0) x = 0x1234567;
  const words = Math.floor(payload.length / 4);
  const view = new Uint32Array(payload.buffer, payload.byteOffset, words);
  for (let i = 0; i < words; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    view[i] = x >>> 0;
  }
}
