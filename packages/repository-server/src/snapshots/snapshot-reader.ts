import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake3 } from '@napi-rs/blake-hash';
import { type BorgRepo, extractPaths } from '@vrs/borg';
import {
  cellHash,
  cellRange,
  decodeManifest,
  encodeManifest,
  equalBytes,
  isZeroCell,
  type Manifest,
  pathExists,
} from '@vrs/protocol';
import { MirrorError } from '../mirror/mirror-error.js';
import { blockRelativePath } from '../mirror/mirror-layout.js';
import type { MirrorStore } from '../mirror/mirror-store.js';
import { SnapshotInfo } from './snapshot-info.js';

/** The archive paths of the disks' manifests (borg's shell-style pattern: `*` stays within one directory). */
const MANIFESTS_PATTERN = 'sh:disks/*/manifest.vrsm';

/** Block files pulled from borg per `borg extract` call: bounds the temporary space a read uses. */
export const EXTRACT_BATCH = 64;

/** One cell of a snapshot, verified against the snapshot's manifest. */
export interface SnapshotCell {
  position: number;
  bytes: Uint8Array;
}

/**
 * Reads one archived snapshot of a VM: its description and manifests come from one small `borg extract`;
 * cells come from the mirror when the mirror holds exactly that snapshot's disk, otherwise from
 * `borg extract` of just the needed block files, in batches. Every cell is checked against its hash.
 */
export class SnapshotReader {
  private constructor(
    private readonly repo: BorgRepo,
    private readonly store: MirrorStore,
    readonly vm: string,
    readonly archive: string,
    readonly info: SnapshotInfo,
    private readonly manifests: Map<string, Manifest>,
    private readonly fromMirror: Set<string>,
  ) {}

  /** Takes a repository, the mirror store, a VM and an archive; opens it. Throws BorgError or MANIFEST_INVALID. */
  static async open(repo: BorgRepo, store: MirrorStore, vm: string, archive: string): Promise<SnapshotReader> {
    const dir = await mkdtemp(join(tmpdir(), 'vrs-snapshot-'));
    try {
      // One `borg extract` for the description and every disk's manifest (each costs a repository open and a
      // read of the archive's item list); a manifest stored under another name is fetched by its own name after.
      await extractPaths(repo, archive, { paths: ['vrs-snapshot.json', MANIFESTS_PATTERN], dest: dir });
      const info = SnapshotInfo.parse(JSON.parse(await readFile(join(dir, 'vrs-snapshot.json'), 'utf8')));
      const elsewhere = [];
      for (const disk of info.disks) if (!(await pathExists(join(dir, disk.manifest)))) elsewhere.push(disk.manifest);
      if (elsewhere.length > 0) await extractPaths(repo, archive, { paths: elsewhere, dest: dir });
      const manifests = new Map<string, Manifest>();
      const fromMirror = new Set<string>();
      for (const disk of info.disks) {
        const manifest = decodeManifest(await readFile(join(dir, disk.manifest)));
        manifests.set(disk.uuid, manifest);
        const mirror = await store.readManifest(vm, disk.uuid);
        if (mirror && equalBytes(encodeManifest(mirror), encodeManifest(manifest))) fromMirror.add(disk.uuid);
      }
      return new SnapshotReader(repo, store, vm, archive, info, manifests, fromMirror);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Takes a disk UUID; returns its manifest in this snapshot. Throws SNAPSHOT_NOT_FOUND-like INVALID_INPUT. */
  manifest(disk: string): Manifest {
    const manifest = this.manifests.get(disk);
    if (!manifest) throw new MirrorError('INVALID_INPUT', `snapshot ${this.archive} has no disk ${disk}`);
    return manifest;
  }

  /** Takes a disk; returns whether its cells are served from the mirror (the snapshot is the mirror's state). */
  servedFromMirror(disk: string): boolean {
    return this.fromMirror.has(disk);
  }

  /**
   * Takes a disk and cell positions; yields each cell's verified bytes, in batches of EXTRACT_BATCH when
   * they come from borg. Throws BLOCK_HASH_MISMATCH when stored data does not match the manifest.
   */
  async *readCells(disk: string, positions: readonly number[], signal?: AbortSignal): AsyncGenerator<SnapshotCell> {
    const manifest = this.manifest(disk);
    const pending = positions.filter((p) => !isZeroCell(manifest, p));
    for (const position of positions) {
      if (isZeroCell(manifest, position))
        yield { position, bytes: new Uint8Array(cellRange(manifest.grid, position).length) };
    }
    for (let at = 0; at < pending.length; at += EXTRACT_BATCH) {
      const batch = pending.slice(at, at + EXTRACT_BATCH);
      if (this.fromMirror.has(disk)) {
        for (const position of batch)
          yield this.verify(disk, manifest, position, await this.store.readBlock(this.vm, disk, position, manifest));
        continue;
      }
      const dir = await mkdtemp(join(tmpdir(), 'vrs-cells-'));
      try {
        const paths = batch.map((p) => join('disks', disk, blockRelativePath(p)));
        await extractPaths(this.repo, this.archive, { paths, dest: dir, ...(signal ? { signal } : {}) });
        for (const [i, position] of batch.entries())
          yield this.verify(disk, manifest, position, await readFile(join(dir, paths[i] as string)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }

  private verify(disk: string, manifest: Manifest, position: number, bytes: Uint8Array): SnapshotCell {
    if (!equalBytes(blake3(bytes), cellHash(manifest, position))) {
      throw new MirrorError(
        'BLOCK_HASH_MISMATCH',
        `cell ${position} of disk ${disk} in ${this.archive} does not match its manifest`,
      );
    }
    return { position, bytes };
  }
}
