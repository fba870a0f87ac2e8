import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Disk, emptyProgress, JobProgress } from '@vrs/protocol';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogError, DEFAULT_MIGRATIONS_DIR, fromJsonColumn, openCatalog, toJsonColumn } from '../src/index.js';
import { HOST_ID, makeCatalog, VM_A } from './helpers/catalog-fixture.js';

let open: Awaited<ReturnType<typeof makeCatalog>>;
beforeEach(async () => {
  open = await makeCatalog();
});
afterEach(() => open.cleanup());

const disk: Disk = {
  uuid: 'dddddddd-0000-4000-8000-000000000001',
  controller: 'SATA',
  port: 0,
  device: 0,
  format: 'VDI',
  path: '/home/me/VirtualBox VMs/Fedora/Fedora.vdi',
  virtualSize: 64 * 1024 * 1024,
  chain: [
    { uuid: 'dddddddd-0000-4000-8000-000000000001', path: '/home/me/VirtualBox VMs/Fedora/Fedora.vdi', format: 'VDI' },
  ],
};

/** Creates a host, its repository, a VM and a snapshot of it; returns their rows. */
async function seed() {
  const { catalog } = open;
  const host = await catalog.host.create({
    data: { id: HOST_ID, name: 'laptop', os: 'linux', agentVersion: '0.1.0', credentialHash: 'hash-1' },
  });
  const repository = await catalog.repository.create({
    data: {
      name: 'laptop',
      path: join(open.dir, 'repos', 'laptop'),
      passphraseFile: 'secrets/laptop',
      hostId: host.id,
    },
  });
  const vm = await catalog.vm.create({
    data: {
      id: VM_A,
      hostId: host.id,
      name: 'Fedora 41',
      state: 'poweroff',
      configFile: '/home/me/VirtualBox VMs/Fedora/Fedora.vbox',
      disks: toJsonColumn(Disk.array(), [disk]),
    },
  });
  const snapshot = await catalog.snapshot.create({
    data: {
      archive: `vm-${VM_A}-20261128T010000Z`,
      vmUuid: vm.id,
      hostId: host.id,
      repositoryId: repository.id,
      label: 'before upgrade',
      createdAt: new Date('2026-11-28T01:00:00Z'),
      consistency: 'crash',
      captureMethod: 'offline',
    },
  });
  return { host, repository, vm, snapshot };
}

describe('openCatalog', () => {
  it('migrates <data>/vrs.db on first open, switches it to WAL, and applies nothing when reopened', async () => {
    expect(open.applied).toHaveLength(
      readdirSync(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).length,
    );
    expect(open.applied.length).toBeGreaterThanOrEqual(2);
    const db = new Database(join(open.dir, 'vrs.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = await openCatalog(open.dir);
    expect(again.applied).toEqual([]);
    await again.close();
  });

  it('creates and reads back hosts, VMs, snapshots and jobs through the Prisma client', async () => {
    const { catalog } = open;
    const { host, vm, snapshot } = await seed();
    const job = await catalog.job.create({
      data: {
        kind: 'snapshot',
        state: 'queued',
        hostId: host.id,
        vmUuid: vm.id,
        snapshotId: snapshot.id,
        progress: toJsonColumn(JobProgress, emptyProgress()),
      },
    });
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.attempts).toBe(0);
    const read = await catalog.host.findUniqueOrThrow({
      where: { credentialHash: 'hash-1' },
      include: { vms: true, snapshots: true, jobs: true },
    });
    expect(read.vms.map((row) => row.name)).toEqual(['Fedora 41']);
    expect(read.snapshots.map((row) => [row.archive, row.createdAt.toISOString(), row.pinned])).toEqual([
      [`vm-${VM_A}-20261128T010000Z`, '2026-11-28T01:00:00.000Z', false],
    ]);
    expect(fromJsonColumn(JobProgress, read.jobs[0]?.progress ?? '', 'Job.progress')).toEqual(emptyProgress());
    expect(fromJsonColumn(Disk.array(), read.vms[0]?.disks ?? '', 'Vm.disks')).toEqual([disk]);
  });

  it('refuses a second snapshot row for the same archive of a repository', async () => {
    const { catalog } = open;
    const { snapshot } = await seed();
    const { id: _, ...copy } = snapshot;
    await expect(catalog.snapshot.create({ data: copy })).rejects.toMatchObject({ code: 'P2002' });
    expect(await catalog.snapshot.count()).toBe(1);
  });

  it('keeps a job when its snapshot row goes, with snapshotId cleared', async () => {
    const { catalog } = open;
    const { snapshot } = await seed();
    const job = await catalog.job.create({
      data: { kind: 'restore', state: 'succeeded', snapshotId: snapshot.id, progress: '{}' },
    });
    await catalog.snapshot.delete({ where: { id: snapshot.id } });
    expect((await catalog.job.findUniqueOrThrow({ where: { id: job.id } })).snapshotId).toBeNull();
  });

  it('validates JSON columns with the protocol schemas both ways', () => {
    expect(() => toJsonColumn(JobProgress, { ...emptyProgress(), bytesRead: -1 })).toThrow();
    expect(() => fromJsonColumn(JobProgress, '{"phase":"nowhere"}', 'Job.progress')).toThrow(CatalogError);
    expect(() => fromJsonColumn(JobProgress, 'not json', 'Job.progress')).toThrow(/invalid JSON/);
  });
});
