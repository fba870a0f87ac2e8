import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HashPool, hashImage, planDelta } from '@vrs/block-engine';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreDisk } from '../src/index.js';
import { fileSource, sha256, tempDir, writeVdi } from './helpers.js';

const dir = tempDir();
const pool = new HashPool({ workers: 2 });
afterAll(() => pool.close());
const job = '00000000-0000-4000-8000-0000000000aa';

/** Snapshot: blocks 0..19. Current disk: 3 changed, 2 zeroed, 5 new ones appended; the snapshot's file is shorter. */
async function scenario(name: string) {
  const snapshot = join(dir, `${name}-snapshot.vdi`);
  const current = join(dir, `${name}-current.vdi`);
  await writeVdi(snapshot, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, i + 1])));
  copyFileSync(snapshot, current);
  await writeVdi(current, { 2: 102, 7: 107, 11: 111, 4: 0, 5: 0, 30: 130, 31: 131, 32: 132, 33: 133, 34: 134 }, false);
  const { manifest } = await hashImage(snapshot, { pool });
  return { snapshot, current, manifest };
}

describe('restoring a disk in place', () => {
  it('makes the file byte-identical to the snapshot, fetching only the cells that differ', async () => {
    const { snapshot, current, manifest } = await scenario('basic');
    const expectedFetch = planDelta(
      manifest,
      (
        await hashImage(current, {
          pool,
          layout: { path: current, format: 'raw', grid: { ...manifest.grid, fileSize: manifest.grid.fileSize } },
        })
      ).manifest,
    );
    const source = fileSource(snapshot, manifest);
    const report = await restoreDisk({
      job,
      path: current,
      target: manifest,
      journalPath: join(dir, 'basic.journal'),
      source,
      pool,
    });
    expect(sha256(current)).toBe(sha256(snapshot));
    // Blocks 2, 7, 11 rewritten and blocks 4, 5 zeroed in place, and the header cell (new modify UUID and
    // block map): 6 cells come over the wire; the 5 blocks appended after the snapshot are cut off.
    expect(report.fetched).toBe(6);
    expect(source.counter.cells).toBe(6);
    expect(report.fetched).toBeLessThanOrEqual(expectedFetch.send.length);
    expect(report.unchanged).toBeGreaterThan(10);
  });

  it('resumes from its journal without fetching or hashing verified cells again', async () => {
    const { snapshot, current, manifest } = await scenario('resume');
    const journalPath = join(dir, 'resume.journal');
    const first = await restoreDisk({
      job,
      path: current,
      target: manifest,
      journalPath,
      source: fileSource(snapshot, manifest),
      pool,
      batchBytes: 1,
    });
    const again = await restoreDisk({
      job,
      path: current,
      target: manifest,
      journalPath,
      source: fileSource(snapshot, manifest),
      pool,
    });
    expect(first.fetched).toBe(6);
    expect(again).toMatchObject({ fetched: 0, hashed: 0 });
    expect(sha256(current)).toBe(sha256(snapshot));
  });

  it('restores into a missing file (a new VM) with a full transfer', async () => {
    const { snapshot, manifest } = await scenario('new');
    const target = join(dir, 'new-vm.vdi');
    expect(existsSync(target)).toBe(false);
    const report = await restoreDisk({
      job,
      path: target,
      target: manifest,
      journalPath: join(dir, 'new.journal'),
      source: fileSource(snapshot, manifest),
      pool,
    });
    expect(sha256(target)).toBe(sha256(snapshot));
    expect(report.fetched).toBe(21);
  });

  it('never writes a cell that does not match the snapshot', async () => {
    const { snapshot, current, manifest } = await scenario('bad');
    const before = sha256(current);
    const lying = {
      cells: async function* (positions: readonly number[]) {
        for (const position of positions) yield { position, bytes: Buffer.alloc(1024 * 1024, 7) };
      },
    };
    await expect(
      restoreDisk({ job, path: current, target: manifest, journalPath: join(dir, 'bad.journal'), source: lying, pool }),
    ).rejects.toMatchObject({ code: 'BLOCK_HASH_MISMATCH' });
    // The header cell is fetched first and refused: the disk's data cells are as they were.
    expect(sha256(current)).toBe(before);
    await restoreDisk({
      job,
      path: current,
      target: manifest,
      journalPath: join(dir, 'bad.journal'),
      source: fileSource(snapshot, manifest),
      pool,
    });
    expect(sha256(current)).toBe(sha256(snapshot));
  });
});
