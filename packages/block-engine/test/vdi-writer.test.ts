import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVdi, guidBytesToUuid, uuidToGuidBytes, VDI_BLOCK_FREE, VDI_BLOCK_ZERO, VdiFile } from '../src/index.js';
import { qemuImg, qemuIo, qemuStatus } from './helpers/qemu.js';
import { useTempDirs } from './helpers/temp-dir.js';

const MIB = 1024 * 1024;
const tempDir = useTempDirs();
const pattern = (byte: number, length = MIB) => Buffer.alloc(length, byte);

describe('the VDI writer', () => {
  it('makes a dynamic VDI in VirtualBox layout that qemu-img checks clean', async () => {
    const file = join(tempDir(), 'new.vdi');
    const header = await createVdi(file, { diskSize: 100 * MIB });
    expect(header).toMatchObject({
      offBlocks: MIB,
      offData: 2 * MIB,
      blocks: 100,
      blocksAllocated: 0,
      headerSize: 400,
      type: 'normal',
    });
    expect(statSync(file).size).toBe(2 * MIB);
    const map = readFileSync(file).subarray(MIB, MIB + 400);
    expect(map.every((b) => b === 0xff)).toBe(true);
    expect(qemuImg('check', file)).toMatch(/No errors were found/);
    expect(JSON.parse(qemuImg('info', '--output=json', file))).toMatchObject({
      format: 'vdi',
      'virtual-size': 100 * MIB,
      'cluster-size': MIB,
    });
  });

  it('appends blocks on first write, as VirtualBox does, and qemu-img compare agrees byte for byte', async () => {
    const dir = tempDir();
    const vdi = join(dir, 'disk.vdi');
    const raw = join(dir, 'expected.raw');
    await createVdi(vdi, { diskSize: 16 * MIB });
    const expected = Buffer.alloc(16 * MIB);
    const image = await VdiFile.open(vdi, 'write');
    await image.writeBlock(9, pattern(0x99));
    await image.writeBlock(2, pattern(0x22));
    await image.write(5 * MIB + 100, Buffer.from('hello vrs'));
    await image.writeBlock(9, pattern(0x98));
    await image.close();
    expected.fill(0x98, 9 * MIB, 10 * MIB);
    expected.fill(0x22, 2 * MIB, 3 * MIB);
    expected.write('hello vrs', 5 * MIB + 100);
    writeFileSync(raw, expected);

    const reopened = await VdiFile.open(vdi);
    expect(reopened.blockMap[9]).toBe(0);
    expect(reopened.blockMap[2]).toBe(1);
    expect(reopened.blockMap[5]).toBe(2);
    expect(reopened.header.blocksAllocated).toBe(3);
    await reopened.close();
    expect(statSync(vdi).size).toBe(2 * MIB + 3 * MIB);
    expect(qemuImg('check', vdi)).toMatch(/No errors were found/);
    expect(qemuImg('compare', '-f', 'vdi', '-F', 'raw', vdi, raw)).toMatch(/Images are identical/);
  });

  it('marks an all-zero block write ZERO without allocating, and reads qemu-io writes back', async () => {
    const file = join(tempDir(), 'z.vdi');
    await createVdi(file, { diskSize: 8 * MIB });
    const image = await VdiFile.open(file, 'write');
    await image.writeBlock(1, Buffer.alloc(MIB));
    await image.close();
    qemuIo(file, 'vdi', 'write -P 0xab 3M 4k', 'write -P 0xcd 7M 1M');
    const back = await VdiFile.open(file);
    expect(back.blockMap[1]).toBe(VDI_BLOCK_ZERO);
    expect(back.blockMap[0]).toBe(VDI_BLOCK_FREE);
    const three = await back.readBlock(3);
    expect(three.kind === 'data' && three.data.subarray(0, 4096).every((b) => b === 0xab)).toBe(true);
    expect(three.kind === 'data' && three.data.subarray(4096).every((b) => b === 0)).toBe(true);
    const seven = await back.readBlock(7);
    expect(seven.kind === 'data' && seven.data.every((b) => b === 0xcd)).toBe(true);
    await back.close();
  });

  it('gives the image a new modify UUID on the first write of each open, and only then', async () => {
    const file = join(tempDir(), 'm.vdi');
    const created = await createVdi(file, { diskSize: 4 * MIB });
    const image = await VdiFile.open(file, 'write');
    await image.writeBlock(0, pattern(1));
    const first = image.header.uuidModify;
    await image.writeBlock(1, pattern(2));
    expect(image.header.uuidModify).toBe(first);
    await image.close();
    expect(first).not.toBe(created.uuidModify);
    const again = await VdiFile.open(file);
    expect(again.header.uuidModify).toBe(first);
    expect(again.header.uuidCreate).toBe(created.uuidCreate);
    await again.close();
  });

  it('stores UUIDs GUID-style, as reference §3.1 shows', () => {
    const bytes = Buffer.from('832e06200c6ca248a8b8d170a3f8852e', 'hex');
    expect(guidBytesToUuid(bytes)).toBe('20062e83-6c0c-48a2-a8b8-d170a3f8852e');
    expect(Buffer.from(uuidToGuidBytes('20062e83-6c0c-48a2-a8b8-d170a3f8852e'))).toEqual(bytes);
  });

  it('makes differencing images that name their parent, which qemu refuses as the reference says', async () => {
    const dir = tempDir();
    const base = await createVdi(join(dir, 'base.vdi'), { diskSize: 4 * MIB });
    const diff = await createVdi(join(dir, 'diff.vdi'), {
      diskSize: 4 * MIB,
      type: 'diff',
      parent: { uuid: base.uuidCreate, modifyUuid: base.uuidModify },
    });
    const opened = await VdiFile.open(join(dir, 'diff.vdi'));
    expect(opened.header).toMatchObject({
      type: 'diff',
      uuidLinkage: base.uuidCreate,
      uuidParentModify: base.uuidModify,
      uuidCreate: diff.uuidCreate,
    });
    await opened.close();
    expect(qemuStatus('qemu-img', 'info', join(dir, 'diff.vdi')).output).toMatch(
      /unsupported VDI image \(non-NULL link UUID\)/,
    );
  });

  it('makes fixed VDIs with an identity map', async () => {
    const file = join(tempDir(), 'f.vdi');
    await createVdi(file, { diskSize: 5 * MIB, type: 'fixed' });
    expect(statSync(file).size).toBe(2 * MIB + 5 * MIB);
    const image = await VdiFile.open(file);
    expect([...image.blockMap]).toEqual([0, 1, 2, 3, 4]);
    await image.close();
    expect(qemuImg('check', file)).toMatch(/No errors were found/);
  });
});
