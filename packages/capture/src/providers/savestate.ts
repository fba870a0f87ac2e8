import { constants } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { controlVm, startVm, type VirtualBox, type VmInfo } from '@vrs/virtualbox';
import { CaptureError } from '../capture-error.js';
import type { Capture, CapturedFile, ResolvedCaptureOptions } from '../capture-types.js';
import { crashPoint } from '../env.js';
import type { CaptureJournal } from '../journal.js';
import { vmFiles } from '../vm-files.js';

/**
 * Takes the driver, a running VM, options and the journal; saves the VM's state (memory included: `full`
 * consistency, the `.sav` is captured), clones its files when the filesystem can, and starts it again at
 * once; otherwise the VM stays saved until `release()`, while the files are read in place. Returns the
 * capture with the downtime measured as `pausedMs`.
 */
export async function captureSavestate(
  vbox: VirtualBox,
  info: VmInfo,
  options: ResolvedCaptureOptions,
  journal: CaptureJournal,
): Promise<Capture> {
  const id = await journal.intend(options.job, { kind: 'saved', vm: info.uuid });
  const started = process.hrtime.bigint();
  await controlVm(vbox.run, info.uuid, 'savestate');
  crashPoint('saved');
  const saved = await vbox.inspect(info.uuid);
  const sources = await vmFiles(saved);
  await mkdir(options.workDir, { recursive: true });
  const clones: CapturedFile[] = sources.map((f, i) => ({
    ...f,
    readPath: join(options.workDir, `${i}-${basename(f.sourcePath)}`),
  }));
  const cloneId = await journal.intend(options.job, {
    kind: 'clone',
    paths: clones.map((c) => c.readPath),
    dir: options.workDir,
  });
  let cloned = true;
  for (const [i, clone] of clones.entries()) {
    cloned = await copyFile(
      (sources[i] as CapturedFile).sourcePath,
      clone.readPath,
      constants.COPYFILE_FICLONE_FORCE,
    ).then(
      () => true,
      () => false,
    );
    if (!cloned) break;
  }
  const restart = async () => {
    await startVm(vbox.run, info.uuid, 'headless');
    await journal.done(id);
  };
  let pausedMs = 0;
  if (cloned) {
    await restart();
    pausedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  const release = async () => {
    if (!cloned) {
      await restart();
      pausedMs = Number(process.hrtime.bigint() - started) / 1e6;
    }
    await rm(options.workDir, { recursive: true, force: true });
    await journal.done(cloneId);
  };
  if (!saved.stateFile) {
    await release();
    throw new CaptureError('saving the VM state', 'VirtualBox reported no saved-state file');
  }
  return {
    method: 'savestate',
    vm: saved,
    files: cloned ? clones : sources,
    consistency: 'full',
    get pausedMs() {
      return pausedMs;
    },
    frozenMs: 0,
    verify: async () => true,
    release,
  };
}
