import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type AgentJob, pathExists, VrsError } from '@vrs/protocol';
import { callWithRetry } from '../connection/call-with-retry.js';
import { restoreAsNew } from '../restore/as-new.js';
import { cloneBasis } from '../restore/clone-basis.js';
import { isInside } from '../restore/plan-vbox-paths.js';
import type { JobContext } from './job-context.js';
import { ProgressReporter } from './progress-reporter.js';
import { type RestoreFile, type RestoreOutcome, restoreFiles } from './restore-job.js';

/** A restore-as-new job as the server sends it. */
export type RestoreAsNewJob = Extract<AgentJob, { kind: 'restore-as-new' }>;

/** Takes a VM name; returns a folder name made of it: letters, digits, space and `._()-` kept, the rest `_`. */
export function safeFolderName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 100);
  return cleaned.length > 0 ? cleaned : 'restored-vm';
}

/**
 * Takes the job context and a restore-as-new job; builds a new VM from the snapshot beside the original
 * one (`<VMs folder>/<new name>/`): each disk starts from a copy-on-write clone of the original's current
 * image when the filesystem can clone (else a local copy), so only the cells that differ travel; the
 * `.vbox` and NVRAM come from the snapshot. Then the new VM gets new machine and medium UUIDs and new MAC
 * addresses and is registered. Resumes like an in-place restore. Returns the outcome with the new VM's UUID.
 */
export async function runRestoreAsNewJob(
  ctx: JobContext,
  job: RestoreAsNewJob,
): Promise<RestoreOutcome & { vmUuid: string }> {
  const progress = new ProgressReporter((p) => ctx.client.agent.progress.mutate({ jobId: job.id, progress: p }));
  progress.phase('inspecting');
  let originalFolder = '';
  let folder = '';
  const pathOf = (file: RestoreFile) => {
    const inside = originalFolder && isInside(originalFolder, file.sourcePath);
    return inside
      ? join(folder, file.sourcePath.slice(originalFolder.length + 1))
      : join(folder, basename(file.sourcePath));
  };
  let vboxFile = '';
  const outcome = await restoreFiles(
    ctx,
    job.id,
    progress,
    (files) => {
      const config = files.find((f) => f.role === 'config');
      if (!config)
        throw new VrsError('INVALID_INPUT', 'the snapshot has no .vbox: it cannot become a new VM', {
          hint: 'Restore it in place instead.',
        });
      originalFolder = dirname(config.sourcePath);
      folder = join(dirname(originalFolder), safeFolderName(job.name));
      vboxFile = join(folder, `${safeFolderName(job.name)}.vbox`);
      return files.filter((f) => f.role !== 'state');
    },
    async (files, write) => {
      const started = await pathExists(join(ctx.stateDir, 'restore', job.id));
      if (!started && (await pathExists(folder)) && (await readdir(folder)).length > 0) {
        throw new VrsError('CONFLICT', `${folder} already exists`, { hint: 'Pick another name for the new VM.' });
      }
      for (const file of files.filter((f) => f.role === 'disk')) {
        const basis = await cloneBasis(file.sourcePath, pathOf(file));
        ctx.log.info({ job: job.id, file: file.uuid, ...basis }, 'basis for the new disk');
      }
      await write(files);
    },
    (file) => (file.role === 'config' ? vboxFile : pathOf(file)),
  );
  progress.phase('committing');
  const report = await restoreAsNew(ctx.vbox, { vboxFile, name: job.name, originalFolder });
  await callWithRetry(() => ctx.client.agent.finishRestore.mutate({ jobId: job.id, newVmUuid: report.uuid }), {
    signal: ctx.signal,
  });
  return { ...outcome, vmUuid: report.uuid };
}
