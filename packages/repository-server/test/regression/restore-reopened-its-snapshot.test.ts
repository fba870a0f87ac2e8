import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BorgRepo } from '@vrs/borg';
import { encodeManifest } from '@vrs/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveSnapshot, rebaseMirror, SnapshotReader } from '../../src/index.js';
import { commitImage, makeServerData, writeVdi } from '../helpers/borg-fixture.js';
import { DISK, VM } from '../helpers/mirror-fixtures.js';

// bench/vrs-vs-seed.mjs showed every in-place restore opening its snapshot a second time after the last cell
// (two more `borg extract`s, ~0.9 s of a 2.6 s restore), and rewriting the mirror even when the restored
// snapshot was the one the mirror already held.

const MIB = 1024 * 1024;
const job = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
let data: Awaited<ReturnType<typeof makeServerData>>;
let work: string;
const archives: string[] = [];
/** A repository borg cannot open: any borg call through it fails, so a test passing proves none was made. */
let unreachable: BorgRepo;

beforeAll(async () => {
  data = await makeServerData();
  work = mkdtempSync(join(tmpdir(), 'vrs-host-'));
  unreachable = { ...data.repo, path: join(work, 'no-such-repo') };
  const image = join(work, 'disk.vdi');
  await writeVdi(image, 32, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i, i + 1])));
  await commitImage(data.store, data.pool, VM, DISK, image, 'first', job(1));
  archives.push(
    (
      await archiveSnapshot(data.repo, data.store, VM, {
        label: 'first',
        blockSize: MIB,
        at: new Date('2026-12-01T01:00:00Z'),
      })
    ).archive,
  );
  copyFileSync(image, join(work, 'first.vdi'));
  await writeVdi(image, 32, { 2: 102, 9: 109 }, false);
  await commitImage(data.store, data.pool, VM, DISK, image, 'second', job(2));
  archives.push(
    (
      await archiveSnapshot(data.repo, data.store, VM, {
        label: 'second',
        blockSize: MIB,
        at: new Date('2026-12-01T02:00:00Z'),
      })
    ).archive,
  );
});
afterAll(async () => {
  await data.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('rebasing the mirror after an in-place restore', () => {
  it('of the newest snapshot writes nothing: the mirror already is that snapshot', async () => {
    const reader = await SnapshotReader.open(data.repo, data.store, VM, archives[1] as string);
    const manifest = data.store.layout(VM).manifest(DISK);
    const before = statSync(manifest).mtimeMs;
    expect(await rebaseMirror(unreachable, data.store, VM, archives[1] as string, reader)).toBeNull();
    expect(statSync(manifest).mtimeMs).toBe(before);
  });

  it('of an older snapshot reuses the reader the restore opened, and makes the mirror that snapshot', async () => {
    const reader = await SnapshotReader.open(data.repo, data.store, VM, archives[0] as string);
    // Through `unreachable`, opening the archive again would fail; the reader extracts the cells with its own.
    const summary = await rebaseMirror(unreachable, data.store, VM, archives[0] as string, reader);
    expect(summary?.disks[0]?.written).toBe(3); // two blocks and the header cell (its modify UUID)
    const mirror = await data.store.readManifest(VM, DISK);
    expect(Buffer.from(encodeManifest(mirror as never))).toEqual(Buffer.from(encodeManifest(reader.manifest(DISK))));
    const again = await SnapshotReader.open(data.repo, data.store, VM, archives[0] as string);
    expect(again.servedFromMirror(DISK)).toBe(true);
  });

  it('with a reader of another archive opens the right one itself', async () => {
    const other = await SnapshotReader.open(data.repo, data.store, VM, archives[0] as string);
    const summary = await rebaseMirror(data.repo, data.store, VM, archives[1] as string, other);
    expect(summary?.disks[0]?.written).toBe(3); // two blocks and the header cell (its modify UUID)
    const newest = await SnapshotReader.open(data.repo, data.store, VM, archives[1] as string);
    expect(newest.servedFromMirror(DISK)).toBe(true);
  });
});
