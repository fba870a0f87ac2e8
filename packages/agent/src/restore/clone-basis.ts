import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { agentLogger } from '../agent-logger.js';
import { RestoreError } from './restore-error.js';

/**
 * How the basis of a new disk was made: a copy-on-write clone (`reflink`: no data copied, extents shared
 * until either file is written), a plain local copy (`copy`), a file that was already there (`existing`:
 * a resumed restore goes on with it), or nothing (`none`: fetch the whole disk).
 */
export type BasisMethod = 'reflink' | 'copy' | 'existing' | 'none';

/** What `cloneBasis` did. */
export interface CloneBasisReport {
  method: BasisMethod;
  /** The basis file's size (0 for `none`). */
  bytes: number;
  /** Why there is no clone: the errno of the clone (`EOPNOTSUPP`, `EXDEV`, …) or `no source`. */
  reason?: string;
}

/** Options of `cloneBasis`. */
export interface CloneBasisOptions {
  /** What to do when the filesystem cannot clone: copy locally (default) or report `none`. */
  fallback?: 'copy' | 'none';
}

/** errno codes meaning "this filesystem (pair) cannot clone", as libuv reports a failed FICLONE/clonefile. */
const CANNOT_CLONE = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY', 'EPERM']);

/**
 * Takes an existing disk image (the VM's current disk, or another of its lineage), the path of the new
 * VM's disk and options; makes the new file a basis for `restoreDisk`, which then fetches only the cells
 * where the basis differs from the snapshot. Tries a copy-on-write clone first (Node's
 * COPYFILE_FICLONE_FORCE: FICLONE on btrfs/XFS, clonefile on APFS), which costs no time and no space.
 *
 * When the filesystem cannot clone, it copies the file locally by default, because a local copy is still
 * far cheaper than the network: it reads and writes the disk once at local-disk speed (hundreds of MB/s),
 * while a full transfer moves every byte over a link that is often 10-50 MB/s Wi-Fi and makes the
 * server read (and for an older snapshot `borg extract`) all of it. The new disk needs that space either
 * way. A copy of a file that changes meanwhile is harmless: `restoreDisk` checks every cell against the
 * snapshot and fetches what differs. `fallback: 'none'` reports `none` instead (the caller then fetches
 * everything), e.g. to keep a busy host disk idle.
 *
 * The result is fsynced before it is renamed into place, so a journal that later records its cells as
 * verified never outlives the data. A destination that already exists is left alone (`existing`); a
 * missing source gives `none`. Returns the report. Throws RestoreError DISK_FULL when the copy runs out of
 * space (nothing is left behind), and the file system's other errors.
 */
export async function cloneBasis(
  source: string,
  dest: string,
  options: CloneBasisOptions = {},
): Promise<CloneBasisReport> {
  const log = agentLogger('clone-basis');
  const present = await stat(dest).catch(() => undefined);
  if (present) return { method: 'existing', bytes: present.size };
  const from = await stat(source).catch(() => undefined);
  if (!from?.isFile()) return { method: 'none', bytes: 0, reason: 'no source' };
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.${randomBytes(4).toString('hex')}.basis`;
  try {
    try {
      await copyFile(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
      await settle(temp, dest);
      log.info({ source, dest, bytes: from.size }, 'cloned the basis (copy-on-write)');
      return { method: 'reflink', bytes: from.size };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!CANNOT_CLONE.has(code)) throw error;
      await rm(temp, { force: true });
      if (options.fallback === 'none') return { method: 'none', bytes: 0, reason: code };
      log.info({ source, dest, bytes: from.size, reason: code }, 'cannot clone here: copying the basis locally');
      await copyFile(source, temp, constants.COPYFILE_EXCL);
      await settle(temp, dest);
      return { method: 'copy', bytes: from.size, reason: code };
    }
  } catch (error) {
    await rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
      throw new RestoreError('DISK_FULL', dest, `no space for a ${from.size}-byte basis at ${dest}`, { cause: error });
    throw error;
  }
}

/** fsyncs the finished file, renames it into place and fsyncs the directory. */
async function settle(temp: string, dest: string): Promise<void> {
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, dest);
  if (process.platform === 'win32') return;
  const dir = await open(dirname(dest), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
