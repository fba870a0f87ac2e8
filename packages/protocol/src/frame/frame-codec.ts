import { blake3 } from '@napi-rs/blake-hash';
import { compressSync, uncompressSync } from 'lz4-napi';
import { MAX_CELL_LENGTH } from '../grid/grid.js';
import { equalBytes, HASH_LENGTH } from '../manifest/manifest.js';
import { FrameError } from './frame-error.js';
import { bytesToUuid, uuidToBytes } from './uuid-bytes.js';

/** Bytes before the payload. */
export const FRAME_HEADER_LENGTH = 72;

/** Frame types: a cell's bytes, or a pointer to a position the receiver already holds with that hash. */
export const FrameType = { data: 1, reference: 2 } as const;

/** Payload encodings. */
export const FrameEncoding = { raw: 0, lz4: 1 } as const;

const MAGIC_0 = 0x56; // 'V'
const MAGIC_1 = 0x46; // 'F'
const VERSION = 1;
const NO_SOURCE = 0xffffffff;
const LZ4_SIZE_PREFIX = 4;

/** A decoded transfer frame. `payload` holds the cell's raw bytes (decompressed) for data frames. */
export type Frame =
  | {
      type: 'data';
      disk: string;
      position: number;
      length: number;
      hash: Uint8Array;
      payload: Uint8Array;
      wireLength: number;
    }
  | {
      type: 'reference';
      disk: string;
      position: number;
      source: number;
      length: number;
      hash: Uint8Array;
      wireLength: number;
    };

/** What an encoder needs for a frame. */
export type FrameInput =
  | { type: 'data'; disk: string; position: number; hash: Uint8Array; payload: Uint8Array }
  | { type: 'reference'; disk: string; position: number; source: number; length: number; hash: Uint8Array };

/** Limits a decoder enforces before it allocates anything. */
export interface FrameLimits {
  /** Largest raw cell accepted; defaults to MAX_CELL_LENGTH (32 MiB). */
  maxLength?: number;
  /** Check the payload against the header hash (default true). */
  verifyHash?: boolean;
}

/** Encoder options. */
export interface EncodeOptions {
  /** Try lz4 and keep it when it saves at least 1/16 of the bytes (default true). */
  compress?: boolean;
}

/**
 * Takes a data or reference frame; returns its wire bytes:
 * `"VF" u8 version, u8 type, u8 encoding, 3 reserved, 16-byte disk UUID, u32 position, u32 source,
 * u32 raw length, u32 payload length, 32-byte BLAKE3`, then the payload (raw, or lz4 with a u32 size prefix).
 */
export function encodeFrame(frame: FrameInput, options: EncodeOptions = {}): Uint8Array {
  if (frame.hash.length !== HASH_LENGTH) throw new TypeError('a frame hash has 32 bytes');
  const length = frame.type === 'data' ? frame.payload.length : frame.length;
  if (length > MAX_CELL_LENGTH) throw new TypeError(`a cell of ${length} bytes exceeds ${MAX_CELL_LENGTH}`);
  let encoding: number = FrameEncoding.raw;
  let payload: Uint8Array = frame.type === 'data' ? frame.payload : new Uint8Array(0);
  if (frame.type === 'data' && options.compress !== false && length >= 64) {
    const packed = compressSync(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
    if (packed.length <= length - (length >> 4)) {
      encoding = FrameEncoding.lz4;
      payload = packed;
    }
  }
  const out = new Uint8Array(FRAME_HEADER_LENGTH + payload.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = VERSION;
  out[3] = FrameType[frame.type];
  out[4] = encoding;
  out.set(uuidToBytes(frame.disk), 8);
  view.setUint32(24, frame.position, true);
  view.setUint32(28, frame.type === 'reference' ? frame.source : NO_SOURCE, true);
  view.setUint32(32, length, true);
  view.setUint32(36, payload.length, true);
  out.set(frame.hash, 40);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/**
 * Takes one frame's bytes from an untrusted peer; returns the frame. Throws FrameError:
 * FRAME_TRUNCATED when bytes are missing, FRAME_TOO_LARGE when a length passes the limit, FRAME_MALFORMED
 * for anything else out of form (including trailing bytes and bad lz4), BLOCK_HASH_MISMATCH when the
 * payload does not hash to the header's hash. Allocates at most the declared (and limited) cell length.
 */
export function decodeFrame(bytes: Uint8Array, limits: FrameLimits = {}): Frame {
  const maxLength = limits.maxLength ?? MAX_CELL_LENGTH;
  if (bytes.length < FRAME_HEADER_LENGTH) {
    throw new FrameError(
      'FRAME_TRUNCATED',
      `frame of ${bytes.length} bytes is shorter than its ${FRAME_HEADER_LENGTH}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1)
    throw new FrameError('FRAME_MALFORMED', 'not a vrs frame (bad magic)');
  if (bytes[2] !== VERSION) throw new FrameError('FRAME_MALFORMED', `unknown frame version ${bytes[2]}`);
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0)
    throw new FrameError('FRAME_MALFORMED', 'reserved bytes are set');
  const type = bytes[3];
  const encoding = bytes[4];
  const disk = bytesToUuid(bytes.subarray(8, 24));
  const position = view.getUint32(24, true);
  const source = view.getUint32(28, true);
  const length = view.getUint32(32, true);
  const payloadLength = view.getUint32(36, true);
  const hash = bytes.slice(40, 40 + HASH_LENGTH);
  if (length > maxLength)
    throw new FrameError('FRAME_TOO_LARGE', `cell of ${length} bytes exceeds the limit of ${maxLength}`);
  if (payloadLength > maxLength + LZ4_SIZE_PREFIX + (maxLength >> 7) + 64) {
    throw new FrameError('FRAME_TOO_LARGE', `payload of ${payloadLength} bytes exceeds the limit`);
  }
  const wireLength = FRAME_HEADER_LENGTH + payloadLength;
  if (bytes.length < wireLength) {
    throw new FrameError(
      'FRAME_TRUNCATED',
      `frame declares ${payloadLength} payload bytes, ${bytes.length - FRAME_HEADER_LENGTH} arrived`,
    );
  }
  if (bytes.length > wireLength)
    throw new FrameError('FRAME_MALFORMED', `${bytes.length - wireLength} bytes follow the frame`);
  if (type === FrameType.reference) {
    if (encoding !== FrameEncoding.raw || payloadLength !== 0 || source === NO_SOURCE) {
      throw new FrameError('FRAME_MALFORMED', 'a reference frame carries a source and no payload');
    }
    return { type: 'reference', disk, position, source, length, hash, wireLength };
  }
  if (type !== FrameType.data) throw new FrameError('FRAME_MALFORMED', `unknown frame type ${type}`);
  if (source !== NO_SOURCE) throw new FrameError('FRAME_MALFORMED', 'a data frame has no source position');
  const wire = bytes.subarray(FRAME_HEADER_LENGTH, wireLength);
  const payload = decodePayload(encoding, wire, length);
  if (limits.verifyHash !== false && !equalBytes(blake3(payload), hash)) {
    throw new FrameError('BLOCK_HASH_MISMATCH', `cell ${position} of disk ${disk} does not match its hash`);
  }
  return { type: 'data', disk, position, length, hash, payload, wireLength };
}

function decodePayload(encoding: number | undefined, wire: Uint8Array, length: number): Uint8Array {
  if (encoding === FrameEncoding.raw) {
    if (wire.length !== length)
      throw new FrameError('FRAME_MALFORMED', `raw payload of ${wire.length} bytes for a ${length}-byte cell`);
    return wire.slice();
  }
  if (encoding !== FrameEncoding.lz4) throw new FrameError('FRAME_MALFORMED', `unknown payload encoding ${encoding}`);
  if (wire.length < LZ4_SIZE_PREFIX) throw new FrameError('FRAME_MALFORMED', 'lz4 payload without its size prefix');
  const declared = new DataView(wire.buffer, wire.byteOffset, wire.byteLength).getUint32(0, true);
  if (declared !== length)
    throw new FrameError('FRAME_MALFORMED', `lz4 payload declares ${declared} bytes for a ${length}-byte cell`);
  let raw: Uint8Array;
  try {
    raw = uncompressSync(wire);
  } catch (cause) {
    throw new FrameError('FRAME_MALFORMED', 'lz4 payload does not decompress', cause);
  }
  if (raw.length !== length)
    throw new FrameError('FRAME_MALFORMED', `lz4 payload gave ${raw.length} bytes, expected ${length}`);
  return raw;
}
