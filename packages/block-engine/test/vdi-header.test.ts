import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVdi, detectGrid, ImageError, parseVdiHeader, VdiFile } from '../src/index.js';
import { qemuImg, qemuIo } from './helpers/qemu.js';
import { useTempDirs } from './helpers/temp-dir.js';

const MIB = 1024 * 1024;
const tempDir = useTempDirs();

async function expectImageError(run: () => unknown, code: string, message?: RegExp) {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('no error');
}

describe('VDI headers and grids', () => {
  it("reads QEMU's layout: 384-byte header, data area at 0x400, not MiB-aligned", async () => {
    const file = join(tempDir(), 'q.vdi');
    qemuImg('create', '-q', '-f', 'vdi', file, '10M');
    qemuIo(file, 'vdi', 'write -P 0xab 3M 4k', 'write -P 0xcd 0 512');
    const layout = await detectGrid(file);
    expect(layout.vdi).toMatchObject({
      headerSize: 0x180,
      offBlocks: 0x200,
      offData: 0x400,
      blocks: 10,
      blocksAllocated: 2,
      diskSize: 10 * MIB,
    });
    expect(layout.grid).toEqual({ kind: 'vdi', fileSize: 0x400 + 2 * MIB, headerLength: 0x400, blockSize: MIB });
  });

  it("reads VirtualBox's layout: header cell of 2 MiB then 1 MiB cells", async () => {
    const file = join(tempDir(), 'v.vdi');
    await createVdi(file, { diskSize: 64 * MIB });
    expect((await detectGrid(file)).grid).toEqual({
      kind: 'vdi',
      fileSize: 2 * MIB,
      headerLength: 2 * MIB,
      blockSize: MIB,
    });
  });

  it('cuts any other file in fixed 1 MiB cells, even one that only looks like a VDI by its text', async () => {
    const file = join(tempDir(), 'x.img');
    const bytes = Buffer.alloc(3 * MIB + 5);
    bytes.write('<<< Oracle VM VirtualBox Disk Image >>>\n');
    writeFileSync(file, bytes);
    expect(await detectGrid(file)).toMatchObject({
      format: 'raw',
      grid: { kind: 'fixed', fileSize: 3 * MIB + 5, headerLength: 0, blockSize: MIB },
    });
  });

  it('names the broken rule of a corrupt header', async () => {
    const file = join(tempDir(), 'c.vdi');
    await createVdi(file, { diskSize: 8 * MIB });
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(3 * MIB, 0x178);
    bytes.writeUInt32LE(9, 0x184);
    writeFileSync(file, bytes);
    await expectImageError(
      () => detectGrid(file),
      'IMAGE_CORRUPT',
      /block size 3145728 is not a power of two.*9 allocated blocks exceed 8/,
    );
  });

  it('reports a file shorter than its allocated blocks as truncated', async () => {
    const file = join(tempDir(), 't.vdi');
    await createVdi(file, { diskSize: 8 * MIB });
    const image = await VdiFile.open(file, 'write');
    await image.writeBlock(0, Buffer.alloc(MIB, 1));
    await image.close();
    truncateSync(file, 2 * MIB + 1000);
    await expectImageError(() => detectGrid(file), 'IMAGE_TRUNCATED', /shorter than its 1 allocated blocks/);
    truncateSync(file, 300);
    await expectImageError(() => detectGrid(file), 'IMAGE_TRUNCATED', /cut short/);
  });

  it('fuzz: any damage to a header gives a header or an ImageError, never a crash', async () => {
    const file = join(tempDir(), 'f.vdi');
    await createVdi(file, { diskSize: 8 * MIB });
    const head = readFileSync(file).subarray(0, 512);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0x40, max: 0x1d7 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat({ max: 64 * MIB }),
        (edits, size) => {
          const damaged = Buffer.from(head);
          for (const [at, value] of edits) damaged[at] = value;
          try {
            const header = parseVdiHeader(damaged, 'fuzz.vdi', size);
            expect(header.offData).toBeLessThanOrEqual(size);
          } catch (error) {
            expect(error).toBeInstanceOf(ImageError);
          }
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 512 }), (bytes) => {
        const withSignature = Buffer.alloc(Math.max(bytes.length, 0x44));
        withSignature.set(bytes);
        withSignature.writeUInt32LE(0xbeda107f, 0x40);
        expect(() => parseVdiHeader(withSignature, 'fuzz.vdi', 1 << 30)).toThrow(ImageError);
      }),
      { numRuns: 1000 },
    );
  });
});
