import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountFs } from '../../capture/test/helpers/loop-fs.js';
import { cloneBasis } from '../src/restore/clone-basis.js';

const MIB = 1024 * 1024;
const SIZE = 48 * MIB;

/** Free bytes of the filesystem holding `dir`, after a sync so that delayed allocation is counted. */
function freeBytes(dir: string): number {
  execFileSync('sync', ['-f', dir]);
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Whether `filefrag -v` marks every extent of the file as shared with another file. */
function allShared(path: string): boolean {
  const extents = execFileSync('filefrag', ['-v', path], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /^\s*\d+:/.test(l));
  return extents.length > 0 && extents.every((l) => /\bshared\b/.test(l));
}

function writeSource(dir: string): { path: string; bytes: Buffer } {
  const bytes = randomBytes(SIZE);
  const path = join(dir, 'current.vdi');
  writeFileSync(path, bytes);
  return { path, bytes };
}

const mounts: { unmount: () => void }[] = [];
const mount = (size: number, type: 'ext4' | 'btrfs' | 'tmpfs') => {
  const m = mountFs(size, type);
  mounts.push(m);
  return m.dir;
};
afterAll(() => {
  for (const m of mounts) m.unmount();
});

describe('the basis of a new VM disk', () => {
  let btrfs: string;
  let ext4: string;
  let tmpfs: string;
  beforeAll(() => {
    btrfs = mount(256, 'btrfs');
    ext4 = mount(256, 'ext4');
    tmpfs = mount(128, 'tmpfs');
  });

  it('on btrfs is a reflink: the same bytes, every extent shared, no space taken', async () => {
    const source = writeSource(btrfs);
    const free = freeBytes(btrfs);
    const dest = join(btrfs, 'new-vm', 'disk.vdi');
    expect(await cloneBasis(source.path, dest)).toEqual({ method: 'reflink', bytes: SIZE });
    expect(readFileSync(dest).equals(source.bytes)).toBe(true);
    expect(allShared(dest)).toBe(true);
    expect(free - freeBytes(btrfs)).toBeLessThan(4 * MIB);
    expect(readdirSync(join(btrfs, 'new-vm'))).toEqual(['disk.vdi']);
  });

  it('on ext4 (no reflink) falls back to a full local copy: the same bytes, its own extents', async () => {
    const source = writeSource(ext4);
    const free = freeBytes(ext4);
    const dest = join(ext4, 'new-vm', 'disk.vdi');
    const report = await cloneBasis(source.path, dest);
    expect(report).toMatchObject({ method: 'copy', bytes: SIZE });
    expect(report.reason).toMatch(/^E/);
    expect(readFileSync(dest).equals(source.bytes)).toBe(true);
    expect(allShared(dest)).toBe(false);
    expect(free - freeBytes(ext4)).toBeGreaterThanOrEqual(SIZE);
  });

  it('on tmpfs falls back to a copy too', async () => {
    const source = writeSource(tmpfs);
    const dest = join(tmpfs, 'new-vm', 'disk.vdi');
    expect(await cloneBasis(source.path, dest)).toMatchObject({ method: 'copy', bytes: SIZE });
    expect(readFileSync(dest).equals(source.bytes)).toBe(true);
  });

  it('across filesystems (EXDEV) copies, even from and to reflink-capable ones', async () => {
    const source = writeSource(join(btrfs, 'new-vm'));
    const dest = join(ext4, 'cross', 'disk.vdi');
    expect(await cloneBasis(source.path, dest)).toMatchObject({ method: 'copy', reason: 'EXDEV' });
    expect(readFileSync(dest).equals(source.bytes)).toBe(true);
  });

  it("with fallback 'none' reports that a full transfer is needed, and leaves nothing behind", async () => {
    const source = join(ext4, 'current.vdi');
    const dest = join(ext4, 'none', 'disk.vdi');
    const report = await cloneBasis(source, dest, { fallback: 'none' });
    expect(report).toMatchObject({ method: 'none', bytes: 0 });
    expect(readdirSync(join(ext4, 'none'))).toEqual([]);
  });

  it('keeps a destination that exists (a resumed restore), and reports none without a source', async () => {
    const dest = join(ext4, 'new-vm', 'disk.vdi');
    const before = readFileSync(dest);
    expect(await cloneBasis(join(btrfs, 'current.vdi'), dest)).toEqual({ method: 'existing', bytes: SIZE });
    expect(readFileSync(dest).equals(before)).toBe(true);
    const missing = join(ext4, 'missing', 'disk.vdi');
    expect(await cloneBasis(join(ext4, 'no-such.vdi'), missing)).toEqual({
      method: 'none',
      bytes: 0,
      reason: 'no source',
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('runs out of space with DISK_FULL and removes its partial copy', async () => {
    const small = mount(64, 'tmpfs');
    const dest = join(small, 'vm', 'disk.vdi');
    const source = join(ext4, 'current.vdi');
    writeFileSync(join(small, 'filler'), Buffer.alloc(40 * MIB));
    await expect(cloneBasis(source, dest)).rejects.toMatchObject({ code: 'DISK_FULL', path: dest });
    expect(readdirSync(join(small, 'vm'))).toEqual([]);
  });
});
