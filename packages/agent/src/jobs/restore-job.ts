import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentJob, decodeManifest, type Manifest, VrsError } from '@vrs/protocol';
import { registerVm, setExtraData, showVmInfo, unregisterVm } from '@vrs/virtualbox';
import { callWithRetry } from '../connection/call-with-retry.js';
import { TransferSocket } from '../connection/transfer-socket.js';
import { backoffWithJitter } from '../connection/vrs-client.js';
import { crashPoint } from '../crash-point.js';
import { type RestoreReport, restoreDisk } from '../restore/restore-disk.js';
import { powerOffForRestore } from '../vm/power-off.js';
import type { JobContext } from './job-context.js';
import { ProgressReporter } from './progress-reporter.js';
import { socketCellSource } from './restore-source.js';

/** A restore job (in place) as the server sends it. */
export type RestoreJob = Extract<AgentJob, { kind: 'restore' }>;

/** The extra data key that marks a VM whose disks a restore is rewriting (value: the job id). */
export const RESTORE_MARKER = 'vrs/restore';

/** One file of a snapshot being restored. */
export interface RestoreFile {
  uuid: string;
  role: 'disk' | 'config' | 'nvram' | 'state';
  sourcePath: string;
  manifest: Manifest;
}

/** What a restore did, per file, and how often the link had to be reopened. */
export interface RestoreOutcome {
  files: { uuid: string; path: string; report: RestoreReport }[];
  wireBytes: number;
  reconnects: number;
}

const LINK_ATTEMPTS = 8;

/**
 * Takes the job context and an in-place restore job; makes the VM's disks (and with `withConfig` its
 * `.vbox`, NVRAM and saved state) equal to the snapshot, moving only the cells that differ. The VM must be
 * off; with `powerOff` it is shut down first (ACPI, then a hard power-off after a timeout). The VM is marked
 * (`vrs/restore`) while its files are rewritten; every cell is verified before it is written, writes are
 * journaled, and a lost link or a killed agent resumes where it stopped. Then the server rebases its mirror.
 * Throws VrsError.
 */
export async function runRestoreJob(ctx: JobContext, job: RestoreJob): Promise<RestoreOutcome> {
  const progress = new ProgressReporter((p) => ctx.client.agent.progress.mutate({ jobId: job.id, progress: p }));
  progress.phase('inspecting');
  const state = (await showVmInfo(ctx.vbox.run, job.vmUuid, ctx.vbox.dialect)).state;
  if (state !== 'poweroff' && state !== 'aborted') {
    if (!job.powerOff) {
      throw new VrsError('VM_RUNNING', `the VM is ${state}; a restore in place needs it powered off`, {
        hint: 'Power it off, or restore with --power-off (ACPI shutdown, then power-off after a timeout).',
      });
    }
    const off = await powerOffForRestore(ctx.vbox, job.vmUuid);
    ctx.log.info({ job: job.id, ...off }, 'VM powered off for the restore');
  }
  await setExtraData(ctx.vbox.run, job.vmUuid, RESTORE_MARKER, job.id);
  const choose = (files: RestoreFile[]) => files.filter((f) => f.role === 'disk' || job.withConfig);
  const outcome = await restoreFiles(ctx, job.id, progress, choose, async (files, write) => {
    const disks = files.filter((f) => f.role === 'disk');
    const rest = files.filter((f) => f.role !== 'disk');
    await write(disks);
    if (rest.length === 0) return;
    // VirtualBox keeps a registered VM's settings in memory and writes them back: take it out while its
    // .vbox and NVRAM are replaced, then register the restored settings.
    const config = rest.find((f) => f.role === 'config');
    await unregisterVm(ctx.vbox.run, job.vmUuid);
    try {
      await write(rest);
    } finally {
      if (config) await registerVm(ctx.vbox.run, config.sourcePath);
    }
  });
  await setExtraData(ctx.vbox.run, job.vmUuid, RESTORE_MARKER, null);
  // The files are final and synced: the journal goes before the server hears of it. Removed after, it stayed
  // forever when the agent died in between (the job had succeeded, so nothing ran it again); removed before,
  // a job resumed in between hashes the disks, finds nothing to fetch, and finishes.
  await rm(join(ctx.stateDir, 'restore', job.id), { recursive: true, force: true });
  progress.phase('committing');
  await progress.flush();
  await callWithRetry(() => ctx.client.agent.finishRestore.mutate({ jobId: job.id }), { signal: ctx.signal });
  crashPoint('restore:finished');
  return outcome;
}

/**
 * Takes the context, the job, the progress, which files to restore, and an order (a function that gets the
 * chosen files and a `write` that restores some of them, at the paths `pathOf` gives, default their source
 * paths); opens the restore, restores, and reopens the link after a failure until done. Returns the outcome.
 */
export async function restoreFiles(
  ctx: JobContext,
  jobId: string,
  progress: ProgressReporter,
  choose: (files: RestoreFile[]) => RestoreFile[],
  order: (files: RestoreFile[], write: (some: RestoreFile[]) => Promise<void>) => Promise<void>,
  pathOf: (file: RestoreFile) => string = (f) => f.sourcePath,
): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { files: [], wireBytes: 0, reconnects: 0 };
  let socket: TransferSocket | null = null;
  let files: RestoreFile[] = [];
  const connect = async () => {
    const opened = await callWithRetry(() => ctx.client.agent.openRestore.mutate({ jobId }), { signal: ctx.signal });
    files = choose(opened.files.map((f) => ({ ...f, manifest: decodeManifest(Buffer.from(f.manifest, 'base64')) })));
    socket = (
      await TransferSocket.open({ server: ctx.server, fingerprint: ctx.fingerprint, job: jobId, token: opened.token })
    ).socket;
  };
  await connect();
  const total = files.reduce((sum, f) => sum + f.manifest.grid.fileSize, 0);
  progress.update({ phase: 'writing', bytesTotal: total });
  const done = new Set<string>();
  let written = 0;
  const write = async (some: RestoreFile[]) => {
    for (const file of some) {
      if (done.has(file.uuid)) continue;
      for (let attempt = 1; ; attempt++) {
        try {
          if (!socket) await connect();
          const path = pathOf(file);
          await mkdir(join(path, '..'), { recursive: true });
          const report = await restoreDisk({
            job: jobId,
            path,
            target: file.manifest,
            journalPath: join(ctx.stateDir, 'restore', jobId, `${file.uuid}.journal`),
            source: socketCellSource(socket as unknown as TransferSocket, file.uuid, (wire) => {
              outcome.wireBytes += wire;
              progress.update({ bytesSent: outcome.wireBytes });
            }),
            pool: ctx.pool,
            onProgress: (cells, of) =>
              progress.update({
                bytesRead: written + Math.round((file.manifest.grid.fileSize * cells) / Math.max(1, of)),
              }),
          });
          outcome.files.push({ uuid: file.uuid, path, report });
          written += file.manifest.grid.fileSize;
          progress.update({ bytesRead: written });
          done.add(file.uuid);
          break;
        } catch (error) {
          const e = error as VrsError;
          if (e.code !== 'FRAME_TRUNCATED' || attempt >= LINK_ATTEMPTS || ctx.signal.aborted) throw error;
          ctx.log.warn({ job: jobId, attempt, err: e.message }, 'restore link lost; resuming');
          (socket as TransferSocket | null)?.close();
          socket = null;
          outcome.reconnects++;
          await new Promise((resolve) => setTimeout(resolve, backoffWithJitter(attempt)));
        }
      }
    }
  };
  try {
    await order(files, write);
  } finally {
    (socket as TransferSocket | null)?.close();
  }
  return outcome;
}
