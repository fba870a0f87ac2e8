import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BorgRepo, createArchive, deleteArchive, initRepo, listArchives, renameArchive } from '@vrs/borg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repository } from '../src/catalog/generated/prisma/client.js';
import { makeArchiveName, pinnedName, reconcileSnapshots } from '../src/index.js';
import { HOST_ID, listed, makeCatalog, makeTempDir, VM_A, VM_B } from './helpers/catalog-fixture.js';

const T1 = new Date('2026-11-28T01:00:00Z');
const T2 = new Date('2026-11-28T02:00:00Z');
const T3 = new Date('2026-11-28T03:00:00Z');
const A1 = makeArchiveName(VM_A, T1);
const A2 = makeArchiveName(VM_A, T2);
const B3 = makeArchiveName(VM_B, T3);

let open: Awaited<ReturnType<typeof makeCatalog>>;
let repository: Repository;
let shared: Repository;
beforeEach(async () => {
  open = await makeCatalog();
  const { catalog } = open;
  await catalog.host.create({
    data: { id: HOST_ID, name: 'laptop', os: 'linux', agentVersion: '0.1.0', credentialHash: 'hash' },
  });
  await catalog.vm.create({
    data: { id: VM_A, hostId: HOST_ID, name: 'Fedora', state: 'poweroff', configFile: '/vms/Fedora.vbox' },
  });
  repository = await catalog.repository.create({
    data: { name: 'laptop', path: join(open.dir, 'repos', 'laptop'), passphraseFile: 'p', hostId: HOST_ID },
  });
  shared = await catalog.repository.create({
    data: { name: 'shared', path: join(open.dir, 'repos', 'shared'), passphraseFile: 'q' },
  });
});
afterEach(() => open.cleanup());

/** Creates a snapshot row in a repository, as the commit path would (capture facts known). */
function addRow(archive: string, o: { pinned?: boolean; label?: string; repositoryId?: string } = {}) {
  return open.catalog.snapshot.create({
    data: {
      archive,
      vmUuid: VM_A,
      hostId: HOST_ID,
      repositoryId: o.repositoryId ?? repository.id,
      label: o.label ?? 'label',
      createdAt: new Date(),
      consistency: 'application',
      captureMethod: 'reflink',
      pinned: o.pinned ?? false,
      stats: '{"originalSize":1,"deduplicatedSize":1}',
    },
  });
}

/** The repository's rows as [archive, pinned, label]. */
async function rows(repositoryId = repository.id) {
  const all = await open.catalog.snapshot.findMany({ where: { repositoryId }, orderBy: { archive: 'asc' } });
  return all.map((row) => [row.archive, row.pinned, row.label]);
}

describe('reconcileSnapshots against a listing', () => {
  it("adds a row for each archive vrs wrote, from the name and comment, and ignores others'", async () => {
    const pinnedA2 = pinnedName(A2, true);
    const result = await reconcileSnapshots(open.catalog, repository, [
      listed(A1, 'first'),
      listed(pinnedA2, 'kept\nforever'),
      listed(B3, ''),
      listed('manual-backup-2026', 'by hand'),
      listed('vm-not-a-uuid-20261128T010000Z'),
    ]);
    expect(result).toEqual({
      added: [A1, pinnedA2, B3],
      removed: [],
      repinned: [],
      relabelled: [],
      foreign: ['manual-backup-2026', 'vm-not-a-uuid-20261128T010000Z'],
    });
    const added = await open.catalog.snapshot.findMany({ orderBy: { createdAt: 'asc' } });
    expect(
      added.map((row) => [row.archive, row.vmUuid, row.hostId, row.label, row.createdAt.toISOString(), row.pinned]),
    ).toEqual([
      [A1, VM_A, HOST_ID, 'first', T1.toISOString(), false],
      [pinnedA2, VM_A, HOST_ID, 'kept forever', T2.toISOString(), true],
      // VM_B has no row: the host comes from the repository.
      [B3, VM_B, HOST_ID, B3, T3.toISOString(), false],
    ]);
    expect(added.every((row) => row.consistency === null && row.captureMethod === null && row.stats === null)).toBe(
      true,
    );
  });

  it('changes nothing when run again on the same listing', async () => {
    const listing = [listed(A1, 'first'), listed(B3, 'third')];
    await reconcileSnapshots(open.catalog, repository, listing);
    const before = await open.catalog.snapshot.findMany({ orderBy: { archive: 'asc' } });
    expect(await reconcileSnapshots(open.catalog, repository, listing)).toEqual({
      added: [],
      removed: [],
      repinned: [],
      relabelled: [],
      foreign: [],
    });
    expect(await open.catalog.snapshot.findMany({ orderBy: { archive: 'asc' } })).toEqual(before);
  });

  it('removes rows whose archive is gone, and their jobs keep their history', async () => {
    const gone = await addRow(A1, { label: 'first' });
    await addRow(A2, { label: 'second' });
    const job = await open.catalog.job.create({
      data: { kind: 'snapshot', state: 'succeeded', snapshotId: gone.id, progress: '{}' },
    });
    const result = await reconcileSnapshots(open.catalog, repository, [listed(A2, 'second')]);
    expect(result.removed).toEqual([A1]);
    expect(await rows()).toEqual([[A2, false, 'second']]);
    expect((await open.catalog.job.findUniqueOrThrow({ where: { id: job.id } })).snapshotId).toBeNull();
  });

  it('follows a pin or unpin rename, keeping the row and what only the catalog knows', async () => {
    const pinned = await addRow(A1, { label: 'first' });
    const unpinned = await addRow(pinnedName(A2, true), { label: 'second', pinned: true });
    const result = await reconcileSnapshots(open.catalog, repository, [
      listed(pinnedName(A1, true), 'first'),
      listed(A2, 'second'),
    ]);
    expect(result).toMatchObject({ added: [], removed: [], repinned: [pinnedName(A1, true), A2] });
    const after = await open.catalog.snapshot.findUniqueOrThrow({ where: { id: pinned.id } });
    expect(after).toMatchObject({ archive: pinnedName(A1, true), pinned: true, consistency: 'application' });
    expect(after.stats).toBe(pinned.stats);
    expect(await open.catalog.snapshot.findUniqueOrThrow({ where: { id: unpinned.id } })).toMatchObject({
      archive: A2,
      pinned: false,
      captureMethod: 'reflink',
    });
  });

  it("corrects a pin flag that disagrees with the name's prefix, and a label that disagrees with the comment", async () => {
    await addRow(pinnedName(A1, true), { label: 'first', pinned: false });
    await addRow(A2, { label: 'old label' });
    const result = await reconcileSnapshots(open.catalog, repository, [
      listed(pinnedName(A1, true), 'first'),
      listed(A2, 'new label'),
    ]);
    expect(result).toMatchObject({ repinned: [pinnedName(A1, true)], relabelled: [A2] });
    expect(await rows()).toEqual([
      [pinnedName(A1, true), true, 'first'],
      [A2, false, 'new label'],
    ]);
  });

  it("never touches another repository's rows, even for the same archive name", async () => {
    await addRow(A1, { label: 'copy', repositoryId: shared.id });
    const result = await reconcileSnapshots(open.catalog, repository, [listed(A1, 'first')]);
    expect(result.added).toEqual([A1]);
    expect(await reconcileSnapshots(open.catalog, repository, [])).toMatchObject({ removed: [A1] });
    expect(await rows(shared.id)).toEqual([[A1, false, 'copy']]);
  });

  it('leaves the host unknown when neither a VM row nor the repository names it', async () => {
    await reconcileSnapshots(open.catalog, shared, [listed(B3, 'third'), listed(A1, 'first')]);
    const added = await open.catalog.snapshot.findMany({
      where: { repositoryId: shared.id },
      orderBy: { archive: 'asc' },
    });
    expect(added.map((row) => [row.vmUuid, row.hostId])).toEqual([
      [VM_A, HOST_ID],
      [VM_B, null],
    ]);
  });
});

describe('reconcileSnapshots against a real borg repository', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let repo: BorgRepo;
  beforeEach(async () => {
    temp = makeTempDir('vrs-borg-');
    repo = {
      path: join(temp.dir, 'repos', 'laptop'),
      passphraseFile: join(temp.dir, 'secrets', 'laptop.passphrase'),
      cacheDir: join(temp.dir, 'cache'),
      baseDir: join(temp.dir, 'base'),
      lockWaitSeconds: 1,
    };
    await initRepo(repo);
    mkdirSync(join(temp.dir, 'src'));
    writeFileSync(join(temp.dir, 'src', 'vrs-snapshot.json'), '{}');
  });
  afterEach(() => temp.remove());

  const archive = (name: string, comment: string) =>
    createArchive(repo, {
      archive: name,
      comment,
      paths: ['vrs-snapshot.json'],
      cwd: join(temp.dir, 'src'),
      chunkerBlockSize: 4096,
    });

  it('rebuilds the rows from borg list, then follows a pin and a delete', async () => {
    await archive(A1, 'first');
    await archive(A2, 'second');
    await archive('manual-1', 'made by hand');
    const first = await reconcileSnapshots(open.catalog, repository, await listArchives(repo));
    expect(first).toMatchObject({ added: [A1, A2], removed: [], foreign: ['manual-1'] });
    expect(await rows()).toEqual([
      [A1, false, 'first'],
      [A2, false, 'second'],
    ]);

    await renameArchive(repo, A1, pinnedName(A1, true));
    await deleteArchive(repo, A2);
    const second = await reconcileSnapshots(open.catalog, repository, await listArchives(repo));
    expect(second).toMatchObject({ added: [], removed: [A2], repinned: [pinnedName(A1, true)], relabelled: [] });
    expect(await rows()).toEqual([[pinnedName(A1, true), true, 'first']]);
  });
});
