// Cold caches and the physical limits: dropping the page cache before a timed step, timing `cat` of an image,
// and the bytes of an image's blocks after lz4 (the rule of vrs's transfer frames: lz4 when it saves ≥ 1/16).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { VdiFile } from '@vrs/block-engine';

const { compressSync } = createRequire(import.meta.resolve('@vrs/protocol'))('lz4-napi');

/** Whether this process may drop the page cache (root). */
export const canDropCaches = (() => {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
})();

/**
 * Takes argvs that load the tools a step starts (e.g. `borg --version`); returns a function that syncs,
 * drops the whole page cache (images, repositories, mirrors) and then runs those argvs, so that every method
 * meets cold data but none pays for reading its own program files from disk. Without root it only syncs.
 */
export function makeCold(warmArgvs = []) {
  return () => {
    execFileSync('sync');
    if (canDropCaches) writeFileSync('/proc/sys/vm/drop_caches', '3');
    for (const [command, ...args] of warmArgvs) spawnSync(command, args, { stdio: 'ignore' });
  };
}

/** Takes a path; returns the seconds `cat PATH > /dev/null` takes. Throws when cat fails. */
export function timeCat(file) {
  const start = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', 'cat "$1" > /dev/null', 'cat', file]);
  if (r.status !== 0) throw new Error(`cat ${file} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Takes one block; returns what it takes after lz4, or the block itself when lz4 saves less than 1/16. */
export function lz4Block(data) {
  const packed = compressSync(data);
  return packed.length <= data.length - (data.length >> 4) ? packed : data;
}

/**
 * Takes a VDI and virtual block indices; returns { bytes, blob }: the bytes those blocks take after lz4
 * (zero-filled or unallocated blocks take none), and the compressed blocks end to end (to time on the link).
 */
export async function lz4Blocks(file, blocks) {
  const vdi = await VdiFile.open(file);
  const parts = [];
  try {
    for (const i of blocks) {
      const block = await vdi.readBlock(i);
      if (block.kind === 'data') parts.push(lz4Block(block.data));
    }
  } finally {
    await vdi.close();
  }
  const blob = Buffer.concat(parts);
  return { bytes: blob.length, blob };
}
