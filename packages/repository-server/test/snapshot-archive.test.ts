import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRepo, listArchives } from '@vrs/borg';
import { cellCount } from '@vrs/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveSnapshot, pruneVm, rebaseMirror, SnapshotReader, setPinned } from '../src/index.js';
import { commitImage, makeServerData, writeVdi } from './helpers/borg-fixture.js';
import { DISK, VM } from './helpers/mirror-fixtures.js';

const MIB = 1024 * 1024;
const README = new URL('../../../README.md', import.meta.url).pathname;
const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let data: Awaited<ReturnType<typeof makeServerData>>;
let work: string;
const image = () => join(work, 'Fedora.vdi');
const archives: string[] = [];
const hashes: string[] = [];

beforeAll(async () => {
  data = await makeServerData();
  work = mkdtempSync(join(tmpdir(), 'vrs-host-'));
  // Snapshot 1: 20 blocks. Snapshot 2: two blocks rewritten, one new, one moved by compaction-like rewrite.
  await writeVdi(image(), 64, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, i + 1])));
  hashes.push(sha256(image()));
  await commitImage(data.store, data.pool, VM, DISK, image(), 'first', job(1));
  const first = await archiveSnapshot(data.repo, data.store, VM, {
    label: 'first',
    blockSize: MIB,
    at: new Date('2026-11-28T01:00:00Z'),
  });
  archives.push(first.archive);
  copyFileSync(image(), join(work, 'first.vdi'));
  await writeVdi(image(), 64, { 3: 1003, 7: 1007, 40: 1040 }, false);
  hashes.push(sha256(image()));
  const second = await commitImage(data.store, data.pool, VM, DISK, image(), 'second', job(2));
  expect(second.sent).toBe(4); // the header cell (block map changed) and three blocks
  archives.push(
    (
      await archiveSnapshot(data.repo, data.store, VM, {
        label: 'second',
        blockSize: MIB,
        at: new Date('2026-11-28T02:00:00Z'),
      })
    ).archive,
  );
});
afterAll(async () => {
  await data.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('snapshot archives', () => {
  it('are named vm-<uuid>-<UTC time> with the label as comment', async () => {
    expect(archives).toEqual([`vm-${VM}-20261128T010000Z`, `vm-${VM}-20261128T020000Z`]);
    const listed = await listArchives(data.repo, { glob: `vm-${VM}-*` });
    expect(listed.map((a) => [a.name, a.comment])).toEqual([
      [archives[0], 'first'],
      [archives[1], 'second'],
    ]);
  });

  it('rebuild with the README lines and borg alone, byte-identical to the captured image', () => {
    const block =
      readFileSync(README, 'utf8').split('<!-- recover:begin -->')[1]?.split('<!-- recover:end -->')[0] ?? '';
    const script = /```sh\n([\s\S]*?)```/.exec(block)?.[1];
    expect(script).toBeDefined();
    for (const [i, archive] of archives.entries()) {
      const out = mkdtempSync(join(work, 'recover-'));
      execFileSync('bash', ['-euo', 'pipefail', '-c', script as string], {
        cwd: out,
        env: {
          PATH: process.env.PATH,
          REPO: data.repo.path,
          ARCHIVE: archive,
          PASSFILE: data.repo.passphraseFile,
          BORG_BASE_DIR: join(out, '.borg'),
        },
      });
      expect(sha256(join(out, `${DISK}.img`)), archive).toBe(hashes[i]);
    }
  });

  it('serve the newest snapshot from the mirror and older ones from borg, verified', async () => {
    const newest = await SnapshotReader.open(data.repo, data.store, VM, archives[1] as string);
    expect(newest.servedFromMirror(DISK)).toBe(true);
    const older = await SnapshotReader.open(data.repo, data.store, VM, archives[0] as string);
    expect(older.servedFromMirror(DISK)).toBe(false);
    const positions = Array.from({ length: cellCount(older.manifest(DISK).grid) }, (_, i) => i);
    const original = readFileSync(join(work, 'first.vdi'));
    let seen = 0;
    for await (const cell of older.readCells(DISK, positions)) {
      const offset = cell.position === 0 ? 0 : 2 * MIB + (cell.position - 1) * MIB;
      expect(
        Buffer.from(cell.bytes).equals(original.subarray(offset, offset + cell.bytes.length)),
        `cell ${cell.position}`,
      ).toBe(true);
      seen++;
    }
    expect(seen).toBe(positions.length);
  });

  it('rebase the mirror to an older snapshot, so the next snapshot sends only what changed since', async () => {
    const summary = await rebaseMirror(data.repo, data.store, VM, archives[0] as string);
    expect(summary?.disks[0]?.written).toBeGreaterThan(0);
    const reader = await SnapshotReader.open(data.repo, data.store, VM, archives[0] as string);
    expect(reader.servedFromMirror(DISK)).toBe(true);
    // The host restored snapshot 1, then the guest changed one block.
    copyFileSync(join(work, 'first.vdi'), image());
    await writeVdi(image(), 64, { 5: 2005 }, false);
    const next = await commitImage(data.store, data.pool, VM, DISK, image(), 'after restore', job(3));
    // The block, and the header cell: its modify UUID changes on the first write, as VirtualBox's does.
    expect(next.sent).toBe(2);
  });

  it('prune by policy, keep pinned snapshots, and leave a repository that borg check passes', async () => {
    const pinned = await setPinned(data.repo, archives[0] as string, true);
    expect(pinned).toBe(`pinned-${VM}-20261128T010000Z`);
    const preview = await pruneVm(
      data.repo,
      VM,
      { keepWithin: null, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 1 },
      { dryRun: true },
    );
    expect(preview).toEqual({ kept: [archives[1]], pruned: [] });
    const third = await archiveSnapshot(data.repo, data.store, VM, {
      label: 'third',
      blockSize: MIB,
      at: new Date('2026-11-28T03:00:00Z'),
    });
    const result = await pruneVm(data.repo, VM, {
      keepWithin: null,
      hourly: 0,
      daily: 0,
      weekly: 0,
      monthly: 0,
      yearly: 1,
    });
    expect(result).toEqual({ kept: [third.archive], pruned: [archives[1]] });
    expect((await listArchives(data.repo)).map((a) => a.name).sort()).toEqual([pinned, third.archive].sort());
    expect((await checkRepo(data.repo)).ok).toBe(true);
  });
});
