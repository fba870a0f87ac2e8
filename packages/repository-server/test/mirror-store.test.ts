import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import { afterEach, describe, expect, it } from 'vitest';
import { MirrorError, MirrorStore } from '../src/index.js';
import {
  content,
  DISK,
  type DiskState,
  expectedState,
  manifestOf,
  mirrorState,
  stageMissing,
  VM,
} from './helpers/mirror-fixtures.js';

const JOB1 = '00000000-0000-4000-8000-000000000001';
const JOB2 = '00000000-0000-4000-8000-000000000002';
let roots: string[] = [];
afterEach(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  roots = [];
});
function newStore(): MirrorStore {
  const root = mkdtempSync(join(tmpdir(), 'vrs-mirror-'));
  roots.push(root);
  return new MirrorStore(root);
}

async function commitState(store: MirrorStore, job: string, state: DiskState, basis: DiskState | null) {
  const session = store.session(VM, job);
  await stageMissing(session, state, basis);
  return store.commit(VM, session, [{ uuid: DISK, manifest: manifestOf(state) }], { job });
}

async function expectMirrorError(run: Promise<unknown>, code: string) {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MirrorError);
  expect((error as MirrorError).code).toBe(code);
  return error as MirrorError;
}

describe('the mirror store', () => {
  it('commits a first snapshot: one file per non-zero cell, none for zero cells, and the manifest', async () => {
    const store = newStore();
    const state = { labels: [1, 2, 0, 3, 0, 4], lastLength: 100 };
    const summary = await commitState(store, JOB1, state, null);
    expect(summary.disks[0]).toMatchObject({ written: 4, copied: 0, deleted: 0, unchanged: 0 });
    expect(await mirrorState(store)).toEqual(expectedState(manifestOf(state)));
    const manifest = await store.readManifest(VM, DISK);
    if (manifest === null) throw new Error('no manifest after the commit');
    expect(Buffer.from(await store.readBlock(VM, DISK, 5, manifest))).toEqual(content(4, 100));
    expect(Buffer.from(await store.readBlock(VM, DISK, 2, manifest))).toEqual(Buffer.alloc(4096));
    expect(await readdir(store.layout(VM).vmDir)).toEqual(['disks', 'staging', 'vrs-snapshot.json']);
    expect(await readdir(store.layout(VM).stagingRoot())).toEqual([]);
  });

  it('applies changes, moved blocks, zeroed cells and a shrink in one commit; moves read the old content', async () => {
    const store = newStore();
    const old = { labels: [1, 2, 3, 4, 5, 6, 7] };
    await commitState(store, JOB1, old, null);
    // Cells 1 and 2 swap (references both ways: each copy must read the mirror before anything moves),
    // cell 3 changes, cell 4 becomes zero, the disk shrinks by one cell, and cell 0 stays.
    const next = { labels: [1, 3, 2, 9, 0, 6] };
    const session = store.session(VM, JOB2);
    expect(await stageMissing(session, next, old)).toBe(1);
    const summary = await store.commit(
      VM,
      session,
      [
        {
          uuid: DISK,
          manifest: manifestOf(next),
          references: [
            { position: 1, source: 2 },
            { position: 2, source: 1 },
          ],
        },
      ],
      {},
    );
    expect(summary.disks[0]).toEqual({ uuid: DISK, written: 1, copied: 2, deleted: 2, unchanged: 2 });
    expect(await mirrorState(store)).toEqual(expectedState(manifestOf(next)));
  });

  it('keeps staged blocks for a resumed transfer and reports them', async () => {
    const store = newStore();
    const bytes = content(5);
    await store.session(VM, JOB1).stageBlock(DISK, 7, blake3(bytes), bytes);
    const resumed = store.session(VM, JOB1);
    expect(await resumed.stagedCells(DISK)).toEqual(new Map([[7, blake3(bytes).toString('hex')]]));
    expect(await store.recover()).toEqual({ finished: [], pending: [{ vm: VM, session: JOB1, kept: 1, dropped: 0 }] });
    expect(await resumed.stagedCells(DISK)).toHaveProperty('size', 1);
  });

  it('drops staged blocks a crash damaged (unsynced writes) when it recovers', async () => {
    const store = newStore();
    const session = store.session(VM, JOB1);
    for (const label of [1, 2, 3]) await session.stageBlock(DISK, label, blake3(content(label)), content(label));
    const [name] = [...(await readdir(join(session.dir, 'disks', DISK)))].sort();
    await writeFile(join(session.dir, 'disks', DISK, name as string), Buffer.alloc(4096));
    await writeFile(join(session.dir, 'disks', DISK, `4-${'0'.repeat(64)}.tmp-1234`), 'partial');
    expect((await store.recover()).pending).toEqual([{ vm: VM, session: JOB1, kept: 2, dropped: 1 }]);
    expect([...(await session.stagedCells(DISK)).keys()].sort()).toEqual([2, 3]);
    expect(await readdir(join(session.dir, 'disks', DISK))).toHaveLength(2);
  });

  describe('bad input leaves the mirror unchanged', () => {
    it('a manifest naming blocks that were never sent', async () => {
      const store = newStore();
      const old = { labels: [1, 2, 3] };
      await commitState(store, JOB1, old, null);
      const before = await mirrorState(store);
      const session = store.session(VM, JOB2);
      const next = { labels: [1, 8, 9, 10] };
      const bytes = content(8);
      await session.stageBlock(DISK, 1, blake3(bytes), bytes);
      const error = await expectMirrorError(
        store.commit(VM, session, [{ uuid: DISK, manifest: manifestOf(next) }], {}),
        'MIRROR_INCOMPLETE',
      );
      expect(error.message).toMatch(/2 cells of disk .* were never sent \(first: 2, 3\)/);
      expect(await mirrorState(store)).toEqual(before);
    });

    it('a block that does not match its hash is refused and not staged', async () => {
      const store = newStore();
      const session = store.session(VM, JOB1);
      await expectMirrorError(session.stageBlock(DISK, 0, blake3(content(1)), content(2)), 'BLOCK_HASH_MISMATCH');
      expect((await session.stagedCells(DISK)).size).toBe(0);
    });

    it('names that try to leave their directory, and positions out of range', async () => {
      const store = newStore();
      expect(() => store.session('../../etc', JOB1)).toThrow(MirrorError);
      expect(() => store.session(VM, '../x')).toThrow(/not a lower-case UUID/);
      const session = store.session(VM, JOB1);
      const bytes = content(1);
      await expectMirrorError(session.stageBlock('../../../tmp', 0, blake3(bytes), bytes), 'INVALID_INPUT');
      await expectMirrorError(session.stageBlock(DISK, -1, blake3(bytes), bytes), 'INVALID_INPUT');
      await expectMirrorError(session.stageBlock(DISK, 1.5, blake3(bytes), bytes), 'INVALID_INPUT');
      await expectMirrorError(
        store.commit(VM, session, [{ uuid: 'A'.repeat(36), manifest: manifestOf({ labels: [1] }) }], {}),
        'INVALID_INPUT',
      );
    });

    it('a reference to content the mirror does not hold there', async () => {
      const store = newStore();
      await commitState(store, JOB1, { labels: [1, 2] }, null);
      const before = await mirrorState(store);
      const session = store.session(VM, JOB2);
      await expectMirrorError(
        store.commit(
          VM,
          session,
          [{ uuid: DISK, manifest: manifestOf({ labels: [2, 2] }), references: [{ position: 0, source: 0 }] }],
          {},
        ),
        'INVALID_INPUT',
      );
      expect(await mirrorState(store)).toEqual(before);
    });
  });
});
