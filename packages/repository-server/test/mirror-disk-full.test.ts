import { blake3 } from '@napi-rs/blake-hash';
import { afterEach, describe, expect, it } from 'vitest';
import { mountFs } from '../../capture/test/helpers/loop-fs.js';
import { MirrorError, MirrorStore } from '../src/index.js';
import { content, DISK, expectedState, manifestOf, mirrorState, stageMissing, VM } from './helpers/mirror-fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('a full disk on the server', () => {
  it('fails staging and the commit with DISK_FULL, and leaves the mirror as it was', async () => {
    const fs = mountFs(16, 'ext4');
    cleanups.push(fs.unmount);
    const store = new MirrorStore(fs.dir);
    const old = { labels: Array.from({ length: 1000 }, (_, i) => i + 1) };
    const first = store.session(VM, '00000000-0000-4000-8000-000000000001');
    await stageMissing(first, old, null);
    await store.commit(VM, first, [{ uuid: DISK, manifest: manifestOf(old) }], {});
    const before = await mirrorState(store);
    expect(before).toEqual(expectedState(manifestOf(old)));

    const session = store.session(VM, '00000000-0000-4000-8000-000000000002');
    let error: unknown;
    let staged = 0;
    for (let label = 100_000; label < 104_000 && error === undefined; label++) {
      const bytes = content(label);
      await session.stageBlock(DISK, label - 100_000, blake3(bytes), bytes).then(
        () => staged++,
        (e: unknown) => (error = e),
      );
    }
    expect(error).toBeInstanceOf(MirrorError);
    expect((error as MirrorError).code).toBe('DISK_FULL');
    expect((error as MirrorError).message).toMatch(/no space left while staging cell/);
    expect(staged).toBeGreaterThan(100);
    expect(await mirrorState(store)).toEqual(before);

    // A commit that needs room for copies of moved blocks fails the same way, before its point of no return.
    const moved = { labels: [...old.labels.slice(500), ...old.labels.slice(0, 500)] };
    const commit = store.commit(VM, session, [{ uuid: DISK, manifest: manifestOf(moved) }], {});
    await expect(commit).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(await mirrorState(store)).toEqual(before);
    expect(await new MirrorStore(fs.dir).recover()).toMatchObject({ finished: [] });
    expect(await mirrorState(store)).toEqual(before);
  });
});
