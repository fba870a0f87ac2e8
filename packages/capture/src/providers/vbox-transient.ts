import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  deleteSnapshot,
  getExtraData,
  setExtraData,
  takeSnapshot,
  type VirtualBox,
  type VmInfo,
} from '@vrs/virtualbox';
import { CaptureError } from '../capture-error.js';
import type { Capture, CapturedFile, ResolvedCaptureOptions } from '../capture-types.js';
import { crashPoint } from '../env.js';
import type { CaptureJournal } from '../journal.js';
import { withQuiesce } from '../quiesce.js';
import { vmFiles } from '../vm-files.js';

/** The extradata that makes an online snapshot skip saving the RAM (reference §1.5). */
export const FORCE_WITHOUT_STATE = 'VBoxInternal2/ForceTakeSnapshotWithoutState';

/** Takes a job id; returns the name of its transient snapshot. */
export function transientName(job: string): string {
  return `vrs-transient-${job}`;
}

/**
 * Takes the driver, a running VM, options and the journal; takes a disk-only live snapshot so that every
 * image the VM had becomes read-only, and returns a capture reading that frozen chain in place (the base
 * plus any older differencing images: works with native snapshots too). The `.vbox` and NVRAM are copied
 * first. `release()` deletes the snapshot (VirtualBox merges it back) and restores the extradata.
 */
export async function captureVboxTransient(
  vbox: VirtualBox,
  info: VmInfo,
  options: ResolvedCaptureOptions,
  journal: CaptureJournal,
): Promise<Capture> {
  await mkdir(options.workDir, { recursive: true });
  const copiesId = await journal.intend(options.job, { kind: 'clone', paths: [], dir: options.workDir });
  const files: CapturedFile[] = [];
  for (const file of await vmFiles(info)) {
    if (file.role === 'disk') {
      files.push(file);
      continue;
    }
    const copy = join(options.workDir, `${file.role}-${files.length}`);
    await copyFile(file.sourcePath, copy);
    files.push({ ...file, readPath: copy });
  }
  const name = transientName(options.job);
  const previous = await getExtraData(vbox.run, info.uuid, FORCE_WITHOUT_STATE);
  const id = await journal.intend(options.job, {
    kind: 'transient-snapshot',
    vm: info.uuid,
    name,
    forceWithoutState: previous,
  });
  let snapshot: string | null = null;
  const release = async () => {
    if (snapshot) await deleteSnapshot(vbox.run, info.uuid, snapshot);
    await setExtraData(vbox.run, info.uuid, FORCE_WITHOUT_STATE, previous);
    await rm(options.workDir, { recursive: true, force: true });
    await journal.done(copiesId);
    await journal.done(id);
  };
  try {
    await setExtraData(vbox.run, info.uuid, FORCE_WITHOUT_STATE, '1');
    const started = process.hrtime.bigint();
    const { quiesced, frozenMs } = await withQuiesce(
      vbox,
      info.uuid,
      options.quiesce,
      journal,
      options.job,
      async () => {
        snapshot = await takeSnapshot(vbox.run, info.uuid, name, {
          live: info.state === 'running',
          description: `vrs capture of job ${options.job}; deleted when the capture ends`,
        });
      },
    );
    crashPoint('transient-taken');
    return {
      method: 'vbox-transient',
      vm: info,
      files,
      consistency: quiesced ? 'application' : 'crash',
      pausedMs: info.state === 'running' ? 0 : Number(process.hrtime.bigint() - started) / 1e6,
      frozenMs,
      verify: async () => true,
      release,
    };
  } catch (error) {
    await release().catch(() => undefined);
    throw error instanceof CaptureError
      ? error
      : new CaptureError('taking the transient snapshot', (error as Error).message, error);
  }
}
