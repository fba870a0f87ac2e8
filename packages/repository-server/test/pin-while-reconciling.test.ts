import { join } from 'node:path';
import { HashPool } from '@vrs/block-engine';
import { listArchives } from '@vrs/borg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollLaptopWithVm } from './helpers/api-client.js';
import { commitImage, writeVdi } from './helpers/borg-fixture.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

// Pins and reconciles at once. A reconcile lists with `borg list` and then fixes the rows; a pin renames the
// archive and then updates its row. Were a listing to land between a rename and its row update, the reconcile
// would drop the row (the snapshot's id with it) and add another. Both now run in the repository's write
// queue, the pin's row update inside its turn. (Before, the two met only at borg's lock, which hid the race
// here but made this test take 24 s instead of 8: borg waits for a lock by polling.)

const VM = 'cccccccc-0000-4000-8000-00000000000e';
const DISK = 'dddddddd-0000-4000-8000-00000000000e';
let f: ServerFixture;
let hostId: string;
const pool = new HashPool({ workers: 1 });

beforeAll(async () => {
  f = await startServerFixture();
  const enrolled = await enrollLaptopWithVm(f.url, f.adminPassword, {
    uuid: VM,
    name: 'Fedora',
    state: 'poweroff',
    configFile: '/vms/f.vbox',
  });
  hostId = enrolled.hostId;
  await enrolled.admin.close();
  const image = join(f.dir, 'disk.vdi');
  await writeVdi(image, 8, { 0: 1 }, true);
  await commitImage(
    f.server.app.repositories.mirror(hostId),
    pool,
    VM,
    DISK,
    image,
    'only',
    '00000000-0000-4000-8000-0000000000e1',
  );
  await f.server.app.snapshots.archive(hostId, VM, null);
}, 300_000);
afterAll(async () => {
  await pool.close();
  await f?.cleanup();
});

describe('pinning while the catalog is reconciled with borg', () => {
  it('keeps the snapshot (same id) and leaves its row naming the archive borg holds', async () => {
    const { snapshots, catalog, repositories } = f.server.app;
    const repository = await repositories.ofHost(hostId);
    const [row] = await catalog.snapshot.findMany({ where: { vmUuid: VM } });
    const id = row?.id as string;
    for (const pinned of [true, false, true, false, true, false]) {
      await Promise.all([
        snapshots.setPinned(id, pinned),
        snapshots.reconcile(repository),
        snapshots.reconcile(repository),
      ]);
      const rows = await catalog.snapshot.findMany({ where: { vmUuid: VM } });
      const archives = (await listArchives(repositories.borg(repository))).map((a) => a.name);
      expect(rows.map((r) => [r.id, r.pinned])).toEqual([[id, pinned]]);
      expect(archives).toEqual([rows[0]?.archive]);
      expect(rows[0]?.archive.startsWith('pinned-')).toBe(pinned);
    }
  }, 300_000);
});
