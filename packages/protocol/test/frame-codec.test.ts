import { blake3 } from '@napi-rs/blake-hash';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FRAME_HEADER_LENGTH, FrameError, MAX_CELL_LENGTH } from '../src/index.js';

const DISK = '6f1c2b7e-8f3a-4b1d-9c2e-0a1b2c3d4e5f';
const data = (payload: Uint8Array, position = 7) => ({
  type: 'data' as const,
  disk: DISK,
  position,
  hash: blake3(payload),
  payload,
});

function expectFrameError(bytes: Uint8Array, code: string, limits = {}) {
  try {
    decodeFrame(bytes, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).code).toBe(code);
    return;
  }
  throw new Error('decodeFrame accepted a bad frame');
}

describe('transfer frames', () => {
  it('round-trip data frames, compressible or not, raw or lz4', () => {
    fc.assert(
      fc.property(
        fc.uuid({ version: 4 }),
        fc.nat({ max: 0xfffffffe }),
        fc.oneof(
          fc.uint8Array({ maxLength: 70_000 }),
          fc.integer({ min: 0, max: 200_000 }).map((n) => new Uint8Array(n).fill(0x41)),
        ),
        fc.boolean(),
        (disk, position, payload, compress) => {
          const bytes = encodeFrame({ type: 'data', disk, position, hash: blake3(payload), payload }, { compress });
          const frame = decodeFrame(bytes);
          expect(frame.type).toBe('data');
          if (frame.type !== 'data') return;
          expect(frame.disk).toBe(disk);
          expect(frame.position).toBe(position);
          expect(Buffer.from(frame.payload).equals(Buffer.from(payload))).toBe(true);
          expect(frame.wireLength).toBe(bytes.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('compress a compressible 1 MiB cell with lz4 and keep random data raw', () => {
    const text = new Uint8Array(1 << 20).fill(0x61);
    expect(encodeFrame(data(text)).length).toBeLessThan(10_000);
    const random = new Uint8Array(1 << 20).map(() => Math.floor(Math.random() * 256));
    expect(encodeFrame(data(random)).length).toBe(FRAME_HEADER_LENGTH + random.length);
  });

  it('round-trip reference frames', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xfffffffe }),
        fc.nat({ max: 0xfffffffe }),
        fc.nat({ max: MAX_CELL_LENGTH }),
        (position, source, length) => {
          const hash = blake3(String(position));
          const frame = decodeFrame(encodeFrame({ type: 'reference', disk: DISK, position, source, length, hash }));
          expect(frame).toMatchObject({ type: 'reference', disk: DISK, position, source, length });
        },
      ),
    );
  });

  it('answer garbage with a FrameError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(() => decodeFrame(bytes)).toThrow(FrameError);
      }),
      { numRuns: 2000 },
    );
  });

  it('never hand out wrong bytes for a corrupted frame: a FrameError, or the original content', () => {
    const original = new Uint8Array(5000).map((_, i) => (i * 7) % 13);
    const valid = encodeFrame(data(original));
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = valid.slice();
        bytes[at] = (bytes[at] as number) ^ xor;
        if (at >= 8 && at < 28) {
          // Disk and position are an address: any value is a well-formed (other) address.
          const frame = decodeFrame(bytes);
          expect([frame.disk, frame.position]).not.toEqual([DISK, 7]);
          return;
        }
        let frame: ReturnType<typeof decodeFrame>;
        try {
          frame = decodeFrame(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(FrameError);
          return;
        }
        // An lz4 match offset changed inside a repeating run can decode to the same bytes: that is harmless.
        expect(frame.type === 'data' && Buffer.from(frame.payload).equals(Buffer.from(original))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('answer truncation at every length with FRAME_TRUNCATED', () => {
    const valid = encodeFrame(data(new Uint8Array(300).map((_, i) => i)), { compress: false });
    for (let cut = 0; cut < valid.length; cut++) expectFrameError(valid.subarray(0, cut), 'FRAME_TRUNCATED');
  });

  it('refuse a frame declaring a cell past the limit before allocating it', () => {
    const valid = encodeFrame(data(new Uint8Array(100)), { compress: false });
    const huge = valid.slice();
    new DataView(huge.buffer).setUint32(32, 0xffffffff, true);
    expectFrameError(huge, 'FRAME_TOO_LARGE');
    expectFrameError(valid, 'FRAME_TOO_LARGE', { maxLength: 99 });
  });

  it('refuse an lz4 payload that claims more bytes than the header (decompression bomb)', () => {
    const bytes = encodeFrame(data(new Uint8Array(4096)));
    new DataView(bytes.buffer).setUint32(FRAME_HEADER_LENGTH, 0x7fffffff, true);
    expectFrameError(bytes, 'FRAME_MALFORMED');
  });

  it('refuse trailing bytes, unknown types and payload on a reference', () => {
    const valid = encodeFrame(data(new Uint8Array(10)), { compress: false });
    expectFrameError(Uint8Array.from([...valid, 0]), 'FRAME_MALFORMED');
    const badType = valid.slice();
    badType[3] = 9;
    expectFrameError(badType, 'FRAME_MALFORMED');
    const refWithPayload = valid.slice();
    refWithPayload[3] = 2;
    expectFrameError(refWithPayload, 'FRAME_MALFORMED');
  });

  it('report a payload that does not match its hash as BLOCK_HASH_MISMATCH', () => {
    const bytes = encodeFrame({ ...data(new Uint8Array(64).fill(1)), hash: blake3('other') }, { compress: false });
    expectFrameError(bytes, 'BLOCK_HASH_MISMATCH');
    expect(decodeFrame(bytes, { verifyHash: false }).type).toBe('data');
  });
});
