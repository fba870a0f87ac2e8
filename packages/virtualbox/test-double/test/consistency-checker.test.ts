import { describe, expect, it } from 'vitest';
import { checkConsistentCut } from '../src/check-consistent-cut.js';
import { makeGuestBlock, parseGuestBlock } from '../src/guest-block.js';
import type { WriterLogEntry } from '../src/writer-log.js';
import { parseWriterSettings } from '../src/writer-settings.js';

const SIZE = 64 * 1024;
const DISK = '11111111-2222-4333-8444-555555555555';
const write = (seq: number, block: number) => makeGuestBlock(SIZE, { seq, block, seed: 9 });
const log: WriterLogEntry[] = [
  { seq: 1, disk: DISK, block: 0 },
  { seq: 2, disk: DISK, block: 1 },
  { seq: 3, disk: DISK, block: 0 },
  { seq: 4, disk: DISK, block: 2 },
];
const disks = [{ uuid: DISK, blocks: [0, 1, 2, 3] }];

function reader(blocks: Record<number, Buffer | null>) {
  return async (_disk: string, block: number) => blocks[block] ?? null;
}

describe('the guest block format and the consistency checker', () => {
  it('round-trips a guest block and notices a torn payload', () => {
    const block = write(42, 7);
    expect(parseGuestBlock(block)).toEqual({ seq: 42, block: 7, seed: 9, checksumOk: true });
    expect(write(42, 7).equals(block)).toBe(true);
    block.writeUInt8(block.readUInt8(SIZE - 1) ^ 0xff, SIZE - 1);
    expect(parseGuestBlock(block)?.checksumOk).toBe(false);
    expect(parseGuestBlock(Buffer.alloc(SIZE))).toBeUndefined();
  });

  it('finds the earliest cut S that explains every block', async () => {
    expect(await checkConsistentCut(reader({}), log, disks)).toEqual({ consistent: true, cut: 0 });
    expect(await checkConsistentCut(reader({ 0: write(1, 0) }), log, disks)).toEqual({ consistent: true, cut: 1 });
    expect(await checkConsistentCut(reader({ 0: write(3, 0), 1: write(2, 1) }), log, disks)).toEqual({
      consistent: true,
      cut: 3,
    });
    expect(await checkConsistentCut(reader({ 0: write(3, 0), 1: write(2, 1), 2: write(4, 2) }), log, disks)).toEqual({
      consistent: true,
      cut: 4,
    });
  });

  it('rejects a newer write next to a missing older one, a stale block, a torn one and one in the wrong place', async () => {
    const gap = await checkConsistentCut(reader({ 2: write(4, 2) }), log, disks);
    expect(gap).toMatchObject({ consistent: false, cut: null });
    const stale = await checkConsistentCut(reader({ 0: write(1, 0), 1: write(2, 1), 2: write(4, 2) }), log, disks);
    expect(stale.consistent).toBe(false);
    const torn = write(2, 1);
    torn.writeUInt8(torn.readUInt8(100) ^ 1, 100);
    expect((await checkConsistentCut(reader({ 0: write(1, 0), 1: torn }), log, disks)).reason).toMatch(/checksum/);
    expect((await checkConsistentCut(reader({ 3: write(2, 1) }), log, disks)).reason).toMatch(/meant for block 1/);
    expect((await checkConsistentCut(reader({ 3: write(9, 3) }), log, disks)).reason).toMatch(/never wrote there/);
    // Data that is no guest block is the disk's original content.
    const original = Buffer.alloc(SIZE, 0x5a);
    expect(await checkConsistentCut(reader({ 3: original }), log, disks)).toEqual({ consistent: true, cut: 0 });
  });

  it('reads the guest writer settings, with defaults for what is missing or malformed', () => {
    expect(parseWriterSettings(undefined)).toEqual({ rate: 20, seed: 1, first: 0, last: 63 });
    expect(parseWriterSettings('rate=0,seed=42,blocks=8-15')).toEqual({ rate: 0, seed: 42, first: 8, last: 15 });
    expect(parseWriterSettings('blocks=9-2,rate=fast,seed=3')).toEqual({ rate: 20, seed: 3, first: 0, last: 63 });
  });
});
