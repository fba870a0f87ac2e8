import { execFileSync } from 'node:child_process';

/** Takes a path on a btrfs filesystem; creates an empty subvolume there (needs root). Throws when btrfs refuses. */
export function createSubvolume(path: string): void {
  execFileSync('btrfs', ['subvolume', 'create', path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Takes a btrfs mount point; returns the path (relative to the filesystem's top) of every subvolume on it,
 * as `btrfs subvolume list` prints them. Throws when btrfs cannot list (not btrfs, not root).
 */
export function listSubvolumes(mount: string): string[] {
  const out = execFileSync('btrfs', ['subvolume', 'list', mount], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = / path (.+)$/.exec(line);
    return m ? [m[1] as string] : [];
  });
}

/** Takes a subvolume; returns whether btrfs marks it read-only (`btrfs property get -ts <path> ro`). */
export function isReadOnlySubvolume(path: string): boolean {
  return execFileSync('btrfs', ['property', 'get', '-ts', path, 'ro'], { encoding: 'utf8' }).trim() === 'ro=true';
}

/**
 * Takes a btrfs mount point; commits the running transaction and waits until the cleaner has dropped every
 * deleted subvolume, so their space is free again (btrfs frees it in the background after a delete).
 */
export function reclaimDeletedSubvolumes(mount: string): void {
  execFileSync('btrfs', ['filesystem', 'sync', mount], { stdio: 'ignore' });
  execFileSync('btrfs', ['subvolume', 'sync', mount], { stdio: 'ignore' });
}

/** Takes a btrfs mount point; returns how many deleted subvolumes still wait for the cleaner (`list -d`). */
export function countDeletedSubvolumes(mount: string): number {
  const out = execFileSync('btrfs', ['subvolume', 'list', '-d', mount], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.startsWith('ID ')).length;
}
