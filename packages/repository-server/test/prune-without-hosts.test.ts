import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashPool } from '@vrs/block-engine';
import { listArchives } from '@vrs/borg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollLaptopWithVm, type TestClient } from './helpers/api-client.js';
import { commitImage, writeVdi } from './helpers/borg-fixture.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

const VM = 'cccccccc-0000-4000-8000-00000000000c';
const DISK = 'dddddddd-0000-4000-8000-00000000000d';
const DAY = 86_400_000;
let f: ServerFixture;
let admin: TestClient;
let hostId: string;
const pool = new HashPool({ workers: 2 });

beforeAll(async () => {
  f = await startServerFixture();
  ({ admin, hostId } = await enrollLaptopWithVm(f.url, f.adminPassword, {
    uuid: VM,
    name: 'Fedora',
    state: 'poweroff',
    configFile: '/vms/f.vbox',
  }));
  // The laptop goes away: everything below happens with no host connected.
  // Six snapshots, one a day for six days, archived by the server as a snapshot job would.
  const store = f.server.app.repositories.mirror(hostId);
  const image = join(f.dir, 'disk.vdi');
  for (let day = 6; day >= 1; day--) {
    await writeVdi(image, 8, { 0: day, 1: 100 + day }, day === 6);
    await commitImage(store, pool, VM, DISK, image, `day -${day}`, `00000000-0000-4000-8000-00000000000${day}`);
    const infoPath = store.layout(VM).snapshotInfo();
    const info = JSON.parse(readFileSync(infoPath, 'utf8'));
    writeFileSync(infoPath, JSON.stringify({ ...info, createdAt: new Date(Date.now() - day * DAY).toISOString() }));
    await f.server.app.snapshots.archive(hostId, VM, null);
  }
}, 300_000);
afterAll(async () => {
  await admin?.close();
  await pool.close();
  await f?.cleanup();
});

describe('retention with no host online', () => {
  it('previews exactly what a prune then removes, and the catalog matches borg afterwards', async () => {
    const policy = await admin.api.policies.create.mutate({
      name: 'two days',
      schedule: '0 * * * *',
      keepWithin: null,
      hourly: 0,
      daily: 2,
      weekly: 0,
      monthly: 0,
      yearly: 0,
      rpoMinutes: 1440,
    });
    const snapshots = await admin.api.snapshots.list.query({ vmUuid: VM });
    expect(snapshots).toHaveLength(6);
    // Pinned snapshots are never pruned: pin the oldest.
    const oldest = snapshots.at(-1) as (typeof snapshots)[number];
    await admin.api.snapshots.pin.mutate({ id: oldest.id });
    const preview = await admin.api.policies.previewPrune.query({ vmUuid: VM, retention: policy });
    expect(preview.pruned.map((p) => p.label)).toEqual(['day -3', 'day -4', 'day -5']);
    expect(preview.pinned.map((p) => p.label)).toEqual(['day -6']);
    await admin.api.vms.setPolicy.mutate({ uuid: VM, policyId: policy.id });

    // What the nightly cron runs (Scheduler.MAINTENANCE.prune): a prune job for every VM, on the server.
    expect(await f.server.app.scheduler.pruneAll()).toBe(1);
    const end = Date.now() + 120_000;
    let jobs = await admin.api.jobs.list.query({ vmUuid: VM });
    while (jobs.some((j) => j.kind === 'prune' && j.state !== 'succeeded') && Date.now() < end) {
      expect(jobs.filter((j) => j.state === 'failed')).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      jobs = await admin.api.jobs.list.query({ vmUuid: VM });
    }
    expect(jobs.find((j) => j.kind === 'prune')?.params.pruned?.sort()).toEqual(
      preview.pruned.map((p) => p.archive).sort(),
    );

    const repository = await f.server.app.repositories.ofHost(hostId);
    const inBorg = (await listArchives(f.server.app.repositories.borg(repository))).map((a) => a.name).sort();
    const inCatalog = (await admin.api.snapshots.list.query({ vmUuid: VM })).map((s) => s.archive).sort();
    expect(inCatalog).toEqual(inBorg);
    expect(inCatalog).toHaveLength(3);
    expect((await admin.api.snapshots.list.query({ vmUuid: VM })).map((s) => s.label).sort()).toEqual([
      'day -1',
      'day -2',
      'day -6',
    ]);
    expect((await admin.api.hosts.list.query())[0]?.online).toBe(false);
  }, 300_000);
});
