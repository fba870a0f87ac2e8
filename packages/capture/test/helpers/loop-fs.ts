import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Makes a small filesystem of `type` (in a loop-mounted file, or a tmpfs), mounts it and returns its mount
 * point and an unmount. Needs root: without it this throws (a test that needs a real filesystem must fail
 * loudly, never pass).
 * Shared by the capture, agent, repository-server and lab tests.
 */
export function mountFs(sizeMiB: number, type: 'ext4' | 'btrfs' | 'tmpfs'): { dir: string; unmount: () => void } {
  if (process.getuid?.() !== 0) throw new Error('this test needs root to mount a filesystem; run it as root');
  const base = mkdtempSync(join(tmpdir(), `vrs-${type}-`));
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  if (type === 'tmpfs') {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir]);
  } else {
    const image = join(base, 'fs.img');
    execFileSync('truncate', ['-s', `${sizeMiB}M`, image]);
    execFileSync(
      type === 'ext4' ? 'mkfs.ext4' : 'mkfs.btrfs',
      type === 'ext4' ? ['-q', '-m', '0', image] : ['-q', image],
      { stdio: 'ignore' },
    );
    execFileSync('mount', ['-o', 'loop', image, dir]);
  }
  return {
    dir,
    unmount: () => {
      // A process that just got killed (a guest writer) may still hold a file for a moment: retry, then
      // detach lazily so the test never leaves a mount behind.
      for (let attempt = 0; ; attempt++) {
        try {
          execFileSync('umount', [dir], { stdio: 'ignore' });
          break;
        } catch {
          if (attempt >= 20) {
            execFileSync('umount', ['-l', dir]);
            break;
          }
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        }
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
