// What must hold after every fault: the archives rebuild from borg alone, borg check passes, borg and the catalog
// agree, the host has nothing left over, and every job's state tells the truth.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { checkRepo, extractPaths, listArchives } from '../../../../packages/borg/dist/index.js';
import { CaptureJournal } from '../../../../packages/capture/dist/index.js';
import {
  cellCount,
  cellRange,
  decodeManifest,
  type Grid,
  isZeroCell,
} from '../../../../packages/protocol/dist/index.js';
import { DataPaths } from '../../../../packages/repository-server/dist/index.js';
import { getExtraData, showVmInfo } from '../../../../packages/virtualbox/dist/index.js';
import {
  type CutVerdict,
  checkConsistentCut,
  openChainReader,
  readWriterLog,
} from '../../../../packages/virtualbox/dist-double/index.js';
import { type Host, type Rig, sleep } from './fault-rig.js';

const FINAL = ['succeeded', 'failed', 'cancelled'];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An image as a snapshot holds it: its SHA-256 and the SHA-256 of each cell of its grid. */
export interface CellImage {
  sha: string;
  grid: Grid;
  cells: string[];
  /** Cells the manifest flags as zero (a restore writes them without fetching). */
  zero: boolean[];
  /** The guest writer's verdict on the image: a consistent cut of its writes, or why not. */
  cut: CutVerdict;
}

/** The borg repository of a host, as the server opens it. */
export function hostRepo(rig: Rig, host: Host) {
  const paths = new DataPaths(rig.data);
  return {
    path: paths.repository(host.hostId),
    passphraseFile: paths.passphrase(host.hostId),
    cacheDir: paths.borgCache,
    baseDir: paths.borgBase,
    lockWaitSeconds: 120,
  };
}

/**
 * Takes the rig, a host and an archive; rebuilds the VM disk's image from the borg archive alone (its manifest and block
 * files, zero cells filled in: the README's "Recover without vrs"), and returns its hashes and the guest
 * writer's consistency verdict on it.
 */
export async function archivedImage(rig: Rig, host: Host, archive: string): Promise<CellImage> {
  const dir = await mkdtemp(join(tmpdir(), 'vrs-faults-archive-'));
  try {
    await extractPaths(hostRepo(rig, host), archive, { paths: [join('disks', host.disk)], dest: dir });
    const base = join(dir, 'disks', host.disk);
    const manifest = decodeManifest(await readFile(join(base, 'manifest.vrsm')));
    const image = Buffer.alloc(manifest.grid.fileSize);
    for (let i = 0; i < cellCount(manifest.grid); i++) {
      if (isZeroCell(manifest, i)) continue;
      const name = join(base, 'blocks', String(Math.floor(i / 1000)).padStart(3, '0'), String(i).padStart(8, '0'));
      (await readFile(name)).copy(image, cellRange(manifest.grid, i).offset);
    }
    const zero = Array.from({ length: cellCount(manifest.grid) }, (_, i) => isZeroCell(manifest, i));
    await writeFile(join(dir, 'image.vdi'), image);
    return { ...cellsOf(image, manifest.grid), zero, cut: await cutOf(host, join(dir, 'image.vdi')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Takes a host; returns the hashes of its VM's disk file as it is now, cut along `grid`. */
export async function diskCells(host: Host, grid: Grid): Promise<{ sha: string; cells: string[] }> {
  return cellsOf(await readFile(host.image), grid);
}

function cellsOf(image: Buffer, grid: Grid): { sha: string; grid: Grid; cells: string[] } {
  const cells: string[] = [];
  for (let i = 0; i < cellCount(grid); i++) {
    const { offset, length } = cellRange(grid, i);
    cells.push(sha256(image.subarray(offset, Math.min(image.length, offset + length))));
  }
  return { sha: sha256(image), grid, cells };
}

/** Takes two cell lists; returns how many cells of `target` differ from `current` and are not zero cells. */
export function differingCells(target: CellImage, current: { cells: string[] }): number {
  return target.cells.filter((c, i) => c !== current.cells[i] && !target.zero[i]).length;
}

/** Takes a host and a VDI file; returns the guest writer's verdict on it (a consistent cut of its writes?). */
async function cutOf(host: Host, path: string): Promise<CutVerdict> {
  const log = await readWriterLog(host.double.home, host.vm);
  const reader = await openChainReader([path]);
  try {
    const blocks = [...new Set(log.map((e) => e.block))];
    return await checkConsistentCut((_disk, block) => reader.read(block), log, [{ uuid: host.disk, blocks }]);
  } finally {
    await reader.close();
  }
}

/** Takes a host; waits until its agent runs no job (it writes status.json after a job's last step). */
export async function agentIdle(host: Host): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const status = await readFile(join(host.agentConfig, 'state', 'status.json'), 'utf8')
      .then((t) => JSON.parse(t) as { running: string[] })
      .catch(() => null);
    if (status && status.running.length === 0) return;
    await sleep(100);
  }
  throw new Error(`the agent of ${host.name} still runs a job after 30 s`);
}

/**
 * Takes a host and the state its VM must be in; waits until its agent is idle, then asserts the host has
 * nothing left over: no snapshot (a `vrs-transient-*` one would show), the original disk attached (no
 * differencing image left current), no restore marker, no capture clone directory with files in it, no open
 * capture intent, no restore journal.
 */
export async function expectHostClean(host: Host, state: 'running' | 'poweroff'): Promise<void> {
  await agentIdle(host);
  const info = await showVmInfo(host.vbox.run, host.vm, host.vbox.dialect);
  expect(info.state, `${host.name}: VM state`).toBe(state);
  expect(info.snapshots, `${host.name}: snapshots left on the VM`).toEqual([]);
  expect(info.disks.map((d) => d.path)).toEqual([host.image]);
  expect(await getExtraData(host.vbox.run, host.vm, 'vrs/restore'), `${host.name}: restore marker`).toBeNull();
  const vrsEntries = (await readdir(host.vmFolder)).filter((f) => f.startsWith('.vrs'));
  for (const entry of vrsEntries)
    expect(await readdir(join(host.vmFolder, entry)).catch(() => []), `${host.name}: ${entry}`).toEqual([]);
  const journal = new CaptureJournal(join(host.agentConfig, 'state', 'capture.journal'));
  expect(await journal.open(), `${host.name}: open capture intents`).toEqual([]);
  const restores = await readdir(join(host.agentConfig, 'state', 'restore')).catch(() => []);
  expect(restores, `${host.name}: restore journals`).toEqual([]);
}

/**
 * Takes the rig; asserts every job is over (none queued, running or committing), every failed job says why and
 * what to do, and every succeeded snapshot job names a snapshot the catalog holds. Returns the jobs.
 */
export async function expectJobsTruthful(rig: Rig) {
  const jobs = await rig.admin.jobs.list.query({ limit: 500 });
  const snapshots = new Set<string>();
  for (const host of rig.hosts)
    for (const s of await rig.admin.snapshots.list.query({ vmUuid: host.vm })) snapshots.add(s.id);
  for (const job of jobs) {
    expect(FINAL, `job ${job.id} (${job.kind}) is ${job.state}`).toContain(job.state);
    if (job.state === 'failed') {
      expect(job.error?.code, `failed job ${job.id} has a code`).toBeTruthy();
      expect(job.error?.message, `failed job ${job.id} has a message`).toBeTruthy();
      expect(job.error?.hint, `failed job ${job.id} has a hint`).toBeTruthy();
    }
    if (job.kind === 'snapshot' && job.state === 'succeeded') expect(snapshots).toContain(job.snapshotId);
  }
  return jobs;
}

/** Takes the rig; asserts, for every host, that `borg check` passes and the catalog lists exactly its archives. */
export async function expectRepositoryConsistent(rig: Rig): Promise<void> {
  for (const host of rig.hosts) {
    const repo = hostRepo(rig, host);
    const check = await checkRepo(repo);
    expect(check.ok, `${host.name}: ${check.output.join('\n')}`).toBe(true);
    const archives = (await listArchives(repo)).map((a) => a.name).sort();
    const rows = (await rig.admin.snapshots.list.query({ vmUuid: host.vm })).map((s) => s.archive).sort();
    expect(rows, `${host.name}: catalog and borg`).toEqual(archives);
  }
}
