// A btrfs filesystem in a sparse file, loop-mounted (needs root): where the benchmark VM lives, so that its
// captures can use reflinks and subvolume snapshots, and resetting an image to an older one is a clone.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Takes a directory and a size in GiB; makes `fs.img` (sparse) there, formats it btrfs and mounts it at
 * `mnt`. Returns { dir: the mount point, subvolume(path), unmount() }. Throws when not root or mkfs/mount fail.
 */
export function mountBtrfs(dir, sizeGiB) {
  if (process.getuid?.() !== 0) throw new Error('a btrfs loop mount needs root');
  const image = join(dir, 'fs.img');
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt, { recursive: true });
  execFileSync('truncate', ['-s', `${Math.ceil(sizeGiB)}G`, image]);
  execFileSync('mkfs.btrfs', ['-q', image]);
  execFileSync('mount', ['-o', 'loop', image, mnt]);
  return {
    dir: mnt,
    /** Takes a path on the filesystem; creates an empty subvolume there. */
    subvolume(path) {
      execFileSync('btrfs', ['subvolume', 'create', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    },
    /** Unmounts (lazily when something still holds it); idempotent. */
    unmount() {
      for (const args of [[mnt], ['-l', mnt]]) {
        try {
          execFileSync('umount', args, { stdio: 'ignore' });
          return;
        } catch {
          // busy (then lazily), or not mounted
        }
      }
    },
  };
}
