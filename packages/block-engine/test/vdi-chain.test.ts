import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVdi, ImageError, VdiChain, VdiFile } from '../src/index.js';
import { useTempDirs } from './helpers/temp-dir.js';

const MIB = 1024 * 1024;
const tempDir = useTempDirs();
const filled = (byte: number) => Buffer.alloc(MIB, byte);

async function makeDiff(path: string, parentPath: string): Promise<void> {
  const parent = await VdiFile.open(parentPath);
  await createVdi(path, {
    diskSize: parent.header.diskSize,
    type: 'diff',
    parent: { uuid: parent.header.uuidCreate, modifyUuid: parent.header.uuidModify },
  });
  await parent.close();
}

async function write(path: string, blocks: Record<number, Buffer>): Promise<void> {
  const image = await VdiFile.open(path, 'write');
  for (const [index, data] of Object.entries(blocks)) await image.writeBlock(Number(index), data);
  await image.close();
}

describe('a VDI chain, opened leaf first', () => {
  it('reads each block from the first layer that holds it, ZERO masks the parent, FREE everywhere is zeros', async () => {
    const dir = tempDir();
    const [base, mid, leaf] = ['base.vdi', 'mid.vdi', 'leaf.vdi'].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    await createVdi(base, { diskSize: 8 * MIB });
    await write(base, { 0: filled(0xb0), 1: filled(0xb1), 2: filled(0xb2) });
    await makeDiff(mid, base);
    await write(mid, { 1: filled(0xc1), 3: filled(0xc3) });
    await makeDiff(leaf, mid);
    await write(leaf, { 3: filled(0xd3), 2: Buffer.alloc(MIB) });

    const chain = await VdiChain.open([leaf, mid, base]);
    expect(chain.blocks).toBe(8);
    expect((await chain.readVirtualBlock(0)).equals(filled(0xb0))).toBe(true);
    expect((await chain.readVirtualBlock(1)).equals(filled(0xc1))).toBe(true);
    expect((await chain.readVirtualBlock(2)).equals(Buffer.alloc(MIB))).toBe(true);
    expect((await chain.readVirtualBlock(3)).equals(filled(0xd3))).toBe(true);
    expect((await chain.readVirtualBlock(7)).equals(Buffer.alloc(MIB))).toBe(true);
    await chain.close();
  });

  it('refuses images given in the wrong order or with a missing parent', async () => {
    const dir = tempDir();
    const base = join(dir, 'base.vdi');
    const leaf = join(dir, 'leaf.vdi');
    await createVdi(base, { diskSize: 4 * MIB });
    await makeDiff(leaf, base);
    await expect(VdiChain.open([base, leaf])).rejects.toBeInstanceOf(ImageError);
    await expect(VdiChain.open([leaf])).rejects.toThrow(/parent is missing/);
    const stranger = join(dir, 'stranger.vdi');
    await createVdi(stranger, { diskSize: 4 * MIB, uuid: randomUUID() });
    await expect(VdiChain.open([leaf, stranger])).rejects.toThrow(/links to parent/);
  });
});
