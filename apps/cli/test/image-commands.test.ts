import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVdi, VdiFile } from '@vrs/block-engine';
import { afterAll, describe, expect, it } from 'vitest';

const MIB = 1024 * 1024;
const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vrs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vrs(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const qemu = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

async function writerVdi(name: string, blocks: number[]): Promise<string> {
  const file = join(dir, name);
  await createVdi(file, { diskSize: 300 * MIB });
  const image = await VdiFile.open(file, 'write');
  for (const b of blocks) await image.writeBlock(b, Buffer.alloc(MIB, (b % 250) + 1));
  await image.close();
  return file;
}

describe('vrs image inspect', () => {
  it.each([
    ['qemu-img, dynamic', (f: string) => qemu('qemu-img', 'create', '-q', '-f', 'vdi', f, '100M')],
    ['qemu-img, static', (f: string) => qemu('qemu-img', 'create', '-q', '-f', 'vdi', '-o', 'static=on', f, '8M')],
    ['qemu-img, odd size', (f: string) => qemu('qemu-img', 'create', '-q', '-f', 'vdi', f, '12345k')],
  ])('agrees with qemu-img info on a VDI made by %s', (_, make) => {
    const file = join(dir, `${_.replace(/\W+/g, '-')}.vdi`);
    make(file);
    qemu('qemu-io', '-f', 'vdi', '-c', 'write -P 0x11 1M 64k', file);
    const info = JSON.parse(qemu('qemu-img', 'info', '--output=json', file));
    const report = vrs('image', 'inspect', file, '--json').json();
    expect(report.format).toBe(info.format);
    expect(report.virtualSize).toBe(info['virtual-size']);
    expect(report.vdi.blockSize).toBe(info['cluster-size']);
    expect(report.fileSize).toBe(readFileSync(file).length);
  });

  it('agrees with qemu-img info on a VDI made by our writer, and counts its blocks', async () => {
    const file = await writerVdi('ours.vdi', [0, 1, 2, 50, 299]);
    const info = JSON.parse(qemu('qemu-img', 'info', '--output=json', file));
    const report = vrs('image', 'inspect', file, '--json').json();
    expect(report).toMatchObject({ format: info.format, virtualSize: info['virtual-size'], cells: 6, zeroCells: 0 });
    expect(report.vdi.map).toEqual({ allocated: 5, zero: 0, free: 295 });
    expect(report.grid).toEqual({ kind: 'vdi', fileSize: 7 * MIB, headerLength: 2 * MIB, blockSize: MIB });
  });

  it('prints a readable report and cuts non-VDI files in 1 MiB cells', () => {
    const raw = join(dir, 'disk.raw');
    writeFileSync(raw, Buffer.alloc(3 * MIB));
    const r = vrs('image', 'inspect', raw);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/format:\s+raw/);
    expect(r.stdout).toMatch(/cells:\s+3 \(3 all zero\)/);
  });
});

describe('vrs image diff', () => {
  it('finds exactly the blocks qemu-io wrote, and nothing else', async () => {
    const a = await writerVdi('a.vdi', [0, 3, 4, 5, 10, 20]);
    const b = join(dir, 'b.vdi');
    copyFileSync(a, b);
    // An overwrite inside an allocated block, a whole-block overwrite, and a first write to a new block.
    qemu(
      'qemu-io',
      '-f',
      'vdi',
      '-c',
      'write -P 0x5a 4M 4k',
      '-c',
      'write -P 0x66 20M 1M',
      '-c',
      'write -P 0x77 100M 512',
      b,
    );
    const r = vrs('image', 'diff', a, b, '--json');
    expect(r.status).toBe(1);
    const diff = r.json();
    expect(diff.virtualBlocks).toEqual([4, 20, 100]);
    // Cells: the header (the block map gained block 100), physical blocks 2 and 5, and the appended one.
    expect(diff.differingCells).toEqual([0, 3, 6, 7]);
    expect(diff.elsewhereInA).toBe(0);
  });

  it('counts blocks that moved as existing elsewhere, and reports equal images with exit 0', async () => {
    const a = await writerVdi('m1.vdi', [1, 2, 3]);
    const b = await writerVdi('m2.vdi', [3, 1, 2]);
    const r = vrs('image', 'diff', a, b, '--json').json();
    expect(r.elsewhereInA).toBe(3);
    expect(r.send).toEqual([0]);
    const same = vrs('image', 'diff', a, a);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^0 of 4 cells differ/);
  });
});

describe('bad input', () => {
  it('explains a corrupt VDI header and says what to do, with exit 3', () => {
    const file = join(dir, 'garbage.vdi');
    const bytes = Buffer.alloc(4096, 0x41);
    bytes.writeUInt32LE(0xbeda107f, 0x40);
    bytes.writeUInt32LE(0x00010001, 0x44);
    writeFileSync(file, bytes);
    const r = vrs('image', 'inspect', file);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/corrupt VDI header: unknown image type/);
    expect(r.stderr).toMatch(/what to do: .*qemu-img check/);
    expect(r.stdout).toBe('');
  });

  it('explains a truncated VDI, a missing file and a wrong command line', async () => {
    const file = await writerVdi('cut.vdi', [0, 1, 2]);
    writeFileSync(file, readFileSync(file).subarray(0, 3 * MIB));
    expect(vrs('image', 'inspect', file).stderr).toMatch(/shorter than its 3 allocated blocks need/);
    const missing = vrs('image', 'inspect', join(dir, 'nope.vdi'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/cannot read: ENOENT/);
    expect(vrs('image', 'diff', file).status).toBe(2);
  });
});
