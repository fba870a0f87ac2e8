import { constants } from 'node:fs';
import { copyFile, mkdir, open, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { controlVm, type VirtualBox, type VmInfo } from '@vrs/virtualbox';
import { CaptureError } from '../capture-error.js';
import type { Capture, CapturedFile, ResolvedCaptureOptions } from '../capture-types.js';
import { crashPoint } from '../env.js';
import type { CaptureJournal } from '../journal.js';
import { withQuiesce } from '../quiesce.js';
import { vmFiles } from '../vm-files.js';

/** States in which the guest runs and must be paused around a multi-file clone. */
const RUNNING = new Set(['running', 'livesnapshotting', 'teleporting']);

/**
 * Takes the driver, a VM, options and the journal; clones every file of the VM with copy-on-write (Linux
 * FICLONE on btrfs/XFS, macOS clonefile: Node's COPYFILE_FICLONE_FORCE), pausing a running VM around the
 * clones so that they share one instant. Returns the capture (reads come from the clones) with the pause
 * measured. Throws CaptureError when the filesystem cannot clone (the VM is resumed first).
 */
export async function captureReflink(
  vbox: VirtualBox,
  info: VmInfo,
  options: ResolvedCaptureOptions,
  journal: CaptureJournal,
): Promise<Capture> {
  const sources = await vmFiles(info);
  const files: CapturedFile[] = sources.map((f, i) => ({
    ...f,
    readPath: join(options.workDir, `${i}-${basename(f.sourcePath)}`),
  }));
  await mkdir(options.workDir, { recursive: true });
  const cloneId = await journal.intend(options.job, {
    kind: 'clone',
    paths: files.map((f) => f.readPath),
    dir: options.workDir,
  });
  const release = async () => {
    await rm(options.workDir, { recursive: true, force: true });
    await journal.done(cloneId);
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
          await Promise.all(
            files.map((file) => copyFile(file.sourcePath, file.readPath, constants.COPYFILE_FICLONE_FORCE)),
          );
          crashPoint('cloned');
        },
        sources.map((f) => f.sourcePath),
      ),
    );
    return {
      method: 'reflink',
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
    throw new CaptureError('cloning the VM files', (error as Error).message, error);
  }
}

/**
 * Takes the driver, a VM, the job, the journal, work and the files the work reads; if the VM runs, writes
 * those files back (fdatasync) and pauses it; does the work, resumes it (always), and returns how long it was
 * paused in milliseconds. A VM that was not running (or that the
 * user had paused) is left as it is.
 */
export async function pausedAround(
  vbox: VirtualBox,
  info: VmInfo,
  job: string,
  journal: CaptureJournal,
  work: () => Promise<void>,
  flush: readonly string[] = [],
): Promise<number> {
  if (!RUNNING.has(info.state)) {
    await work();
    return 0;
  }
  const id = await journal.intend(job, { kind: 'paused', vm: info.uuid });
  // A clone (or a btrfs snapshot) first writes back the file's dirty pages; written back now, while the guest
  // still runs, they are not inside the pause: only what the guest writes in the next few milliseconds is.
  await Promise.all(flush.map(flushFile));
  await controlVm(vbox.run, info.uuid, 'pause');
  // From the moment the pause has taken effect to the moment the resume call returns: an upper bound of
  // what the guest sees.
  const started = process.hrtime.bigint();
  let resumed = started;
  try {
    crashPoint('paused');
    await work();
  } finally {
    await controlVm(vbox.run, info.uuid, 'resume');
    resumed = process.hrtime.bigint(); // the journal's fsync below happens with the guest running again
    await journal.done(id);
  }
  return Number(resumed - started) / 1e6;
}

/** Takes a path; writes its dirty pages back to disk (fdatasync). */
async function flushFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
