import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Makes a small filesystem of `type` in a file, loop-mounts it and returns its mount point and an unmount.
 * Needs root: without it this throws (a test that needs a real filesystem must fail loudly, never pass).
 */
export function mountLoopFs(sizeMiB: number, type: 'ext4' | 'btrfs'): { dir: string; unmount: () => void } {
  if (process.getuid?.() !== 0) throw new Error('this test needs root to loop-mount a filesystem; run it as root');
  const base = mkdtempSync(join(tmpdir(), `vrs-${type}-`));
  const image = join(base, 'fs.img');
  const dir = join(base, 'mnt');
  execFileSync('truncate', ['-s', `${sizeMiB}M`, image]);
  execFileSync(
    type === 'ext4' ? 'mkfs.ext4' : 'mkfs.btrfs',
    type === 'ext4' ? ['-q', '-m', '0', image] : ['-q', image],
  );
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('mount', ['-o', 'loop', image, dir]);
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
