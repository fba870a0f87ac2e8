import { stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { VirtualBox, VmInfo } from '@vrs/virtualbox';
import { execa } from 'execa';
import { CaptureError } from '../capture-error.js';
import type { Capture, ResolvedCaptureOptions } from '../capture-types.js';
import { crashPoint } from '../env.js';
import type { CaptureJournal } from '../journal.js';
import { withQuiesce } from '../quiesce.js';
import { vmFiles } from '../vm-files.js';
import { pausedAround } from './reflink.js';

/** The inode number of every btrfs subvolume root. */
const SUBVOLUME_ROOT_INODE = 256;

/** Takes a folder; returns whether it is the root of a btrfs subvolume. */
export async function isSubvolumeRoot(folder: string): Promise<boolean> {
  const { ino } = await stat(folder);
  return ino === SUBVOLUME_ROOT_INODE;
}

/** Takes a snapshot path; returns the argv of `btrfs subvolume delete`. */
export function makeDeleteSubvolumeArgv(path: string): string[] {
  return ['subvolume', 'delete', path];
}

/**
 * Takes the driver, a VM whose folder is a btrfs subvolume, options and the journal; takes one read-only
 * subvolume snapshot beside the subvolume (one instant for every file in it) and returns the capture
 * reading from it. A running VM is paused around the snapshot: btrfs flushes the files one by one, so a
 * snapshot taken while the guest writes can hold a block half written, or a later write to one disk without
 * an earlier one to another (12 of 100 unpaused trials in test/btrfs-snapshot.test.ts). Throws CaptureError
 * when a disk lies outside the VM folder or the snapshot fails.
 */
export async function captureBtrfsSnapshot(
  vbox: VirtualBox,
  info: VmInfo,
  options: ResolvedCaptureOptions,
  journal: CaptureJournal,
): Promise<Capture> {
  const folder = dirname(info.configFile);
  const sources = await vmFiles(info);
  const outside = sources.filter((f) => relative(folder, f.sourcePath).startsWith('..'));
  if (outside.length > 0)
    throw new CaptureError(
      'checking the VM folder',
      `${outside.map((f) => f.sourcePath).join(', ')} lie outside the subvolume ${folder}`,
    );
  const snapshot = join(dirname(folder), `.vrs-snapshot-${options.job}`);
  const id = await journal.intend(options.job, { kind: 'btrfs-snapshot', path: snapshot });
  const release = async () => {
    await execa('btrfs', makeDeleteSubvolumeArgv(snapshot), { reject: false });
    await journal.done(id);
  };
  try {
    const {
      result: pausedMs,
      quiesced,
      frozenMs,
    } = await withQuiesce(vbox, info.uuid, options.quiesce, journal, options.job, () =>
      pausedAround(
        vbox,
        info,
        options.job,
        journal,
        async () => {
          await execa('btrfs', ['subvolume', 'snapshot', '-r', folder, snapshot]);
        },
        sources.map((f) => f.sourcePath),
      ),
    );
    crashPoint('btrfs-snapshot-taken');
    const files = sources.map((f) => ({ ...f, readPath: join(snapshot, relative(folder, f.sourcePath)) }));
    return {
      method: 'btrfs-snapshot',
      vm: info,
      files,
      consistency: quiesced ? 'application' : 'crash',
      pausedMs,
      frozenMs,
      verify: async () => true,
      release,
    };
  } catch (error) {
    await release();
    if (error instanceof CaptureError) throw error;
    throw new CaptureError('taking the btrfs snapshot', (error as Error).message, error);
  }
}
