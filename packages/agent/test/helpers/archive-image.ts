import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPaths } from '@vrs/borg';
import { cellCount, cellRange, decodeManifest, isZeroCell } from '@vrs/protocol';
import { DataPaths } from '@vrs/repository-server';

/** Takes a file; returns its SHA-256 (hex). */
export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * Takes the server's data directory, the host, an archive and a file's UUID; rebuilds that file from the borg
 * archive alone (borg extract of its manifest and block files, zero cells filled in), as "Recover without
 * vrs" does, and returns its SHA-256: the bytes the capture saw.
 */
export async function archivedSha256(
  serverDir: string,
  hostId: string,
  archive: string,
  file: string,
): Promise<string> {
  const paths = new DataPaths(serverDir);
  const repo = {
    path: paths.repository(hostId),
    passphraseFile: paths.passphrase(hostId),
    cacheDir: paths.borgCache,
    baseDir: paths.borgBase,
  };
  const dir = await mkdtemp(join(tmpdir(), 'vrs-archive-'));
  try {
    await extractPaths(repo, archive, { paths: [join('disks', file)], dest: dir });
    const manifest = decodeManifest(await readFile(join(dir, 'disks', file, 'manifest.vrsm')));
    const image = Buffer.alloc(manifest.grid.fileSize);
    for (let i = 0; i < cellCount(manifest.grid); i++) {
      if (isZeroCell(manifest, i)) continue;
      const { offset } = cellRange(manifest.grid, i);
      const block = await readFile(
        join(dir, 'disks', file, 'blocks', String(Math.floor(i / 1000)).padStart(3, '0'), String(i).padStart(8, '0')),
      );
      block.copy(image, offset);
    }
    const out = join(dir, 'image');
    await writeFile(out, image);
    return await sha256File(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
