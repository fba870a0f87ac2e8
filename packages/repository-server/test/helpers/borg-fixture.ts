import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVdi, HashPool, hashImage, VdiFile } from '@vrs/block-engine';
import { type BorgRepo, initRepo } from '@vrs/borg';
import type { Manifest } from '@vrs/protocol';
import { MirrorStore, type SnapshotInfo, stageFromFile } from '../../src/index.js';
import { content } from './mirror-fixtures.js';

export const HOST = '99999999-8888-4777-8666-555555555555';

/** A data directory with a real borg repository and a mirror store, removed by `cleanup`. */
export async function makeServerData(): Promise<{
  dir: string;
  repo: BorgRepo;
  store: MirrorStore;
  pool: HashPool;
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-data-'));
  mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
  const repo: BorgRepo = {
    path: join(dir, 'repos', 'host'),
    passphraseFile: join(dir, 'secrets', 'host.passphrase'),
    cacheDir: join(dir, 'cache', 'borg'),
    baseDir: join(dir, 'borg-base'),
    lockWaitSeconds: 1,
  };
  await initRepo(repo);
  const pool = new HashPool({ workers: 2 });
  return {
    dir,
    repo,
    store: new MirrorStore(join(dir, 'mirrors')),
    pool,
    cleanup: async () => {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a VDI of `diskMiB` whose virtual blocks hold the labelled contents (1 MiB cells). */
export async function writeVdi(
  path: string,
  diskMiB: number,
  blocks: Record<number, number>,
  create = true,
): Promise<void> {
  if (create) await createVdi(path, { diskSize: diskMiB * 1024 * 1024 });
  const image = await VdiFile.open(path, 'write');
  for (const [block, label] of Object.entries(blocks))
    await image.writeBlock(Number(block), content(label, 1024 * 1024));
  await image.close();
}

/** The description of a one-disk snapshot, as the agent would send it. */
export function infoFor(vm: string, disk: string, manifest: Manifest, label: string): SnapshotInfo {
  return {
    format: 1,
    vm: { uuid: vm, name: 'Fedora 41' },
    host: { id: HOST, name: 'laptop' },
    label,
    createdAt: new Date().toISOString(),
    captureMethod: 'offline',
    consistency: 'crash',
    disks: [
      {
        uuid: disk,
        role: 'disk',
        sourcePath: '/home/me/VirtualBox VMs/Fedora/Fedora.vdi',
        grid: manifest.grid,
        manifest: `disks/${disk}/manifest.vrsm`,
      },
    ],
  };
}

/** Hashes an image and commits it to the mirror, staging only the cells the mirror lacks. Returns the manifest and cells staged. */
export async function commitImage(
  store: MirrorStore,
  pool: HashPool,
  vm: string,
  disk: string,
  path: string,
  label: string,
  session: string,
) {
  const { manifest } = await hashImage(path, { pool });
  const { planDelta } = await import('@vrs/block-engine');
  const plan = planDelta(manifest, await store.readManifest(vm, disk));
  const staging = store.session(vm, session);
  await stageFromFile(staging, disk, path, manifest, plan.send);
  await store.commit(
    vm,
    staging,
    [{ uuid: disk, manifest, references: plan.references }],
    infoFor(vm, disk, manifest, label),
  );
  return { manifest, sent: plan.send.length };
}
