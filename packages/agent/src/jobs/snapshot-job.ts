import { withCapture } from '@vrs/capture';
import type { AgentJob } from '@vrs/protocol';
import { encodeManifest, VrsError } from '@vrs/protocol';
import { callWithRetry } from '../connection/call-with-retry.js';
import { crashPoint } from '../crash-point.js';
import { transferFiles } from './captured-file.js';
import type { JobContext } from './job-context.js';
import { ProgressReporter } from './progress-reporter.js';
import { type SendReport, sendCapture } from './send-capture.js';

/** A snapshot job as the server sends it. */
export type SnapshotJob = Extract<AgentJob, { kind: 'snapshot' }>;

/** What a snapshot job did. */
export interface SnapshotOutcome {
  snapshotId: string;
  archive: string;
  method: string;
  consistency: string;
  pausedMs: number;
  report: SendReport;
}

/**
 * Takes the job context and a snapshot job; captures the VM (the provider its policy forces, else the best
 * the host allows), hashes and sends what the server lacks while reading, releases the capture as soon as
 * the last cell is read, then seals: the server commits its mirror and runs `borg create`. Returns the
 * snapshot. Throws VrsError (the runner reports it to the server).
 */
export async function runSnapshotJob(ctx: JobContext, job: SnapshotJob): Promise<SnapshotOutcome> {
  const progress = new ProgressReporter((p) => ctx.client.agent.progress.mutate({ jobId: job.id, progress: p }));
  progress.phase('capturing');
  let capturedAt = new Date();
  // The capture inspects the VM itself and puts its clones in `.vrs-capture` beside the VM's settings: an
  // inspection here as well cost two more VBoxManage round trips per snapshot (bench/vrs-vs-seed.mjs).
  const { result: report, capture } = await withCapture(
    ctx.vbox,
    job.vmUuid,
    { job: job.id, ...(job.captureMethod ? { method: job.captureMethod } : {}) },
    ctx.captureJournal,
    async (taken) => {
      capturedAt = new Date();
      ctx.log.info({ job: job.id, method: taken.method, pausedMs: taken.pausedMs }, 'captured');
      return sendCapture(ctx, job.id, transferFiles(taken.vm.uuid, taken.files), progress);
    },
    ctx.powershell ? { powershell: ctx.powershell } : {},
  );
  progress.phase('committing');
  await progress.flush();
  if (ctx.signal.aborted) throw new VrsError('JOB_CANCELLED', 'the job was cancelled');
  crashPoint('snapshot:sealing');
  const snapshot = await sealOrFind(ctx, job.id, () =>
    ctx.client.agent.seal.mutate({
      jobId: job.id,
      vmName: capture.vm.name,
      createdAt: capturedAt.toISOString(),
      captureMethod: capture.method,
      consistency: capture.consistency,
      files: report.files.map((f) => ({
        uuid: f.uuid,
        role: f.role,
        sourcePath: f.sourcePath,
        manifest: Buffer.from(encodeManifest(f.manifest)).toString('base64'),
      })),
    }),
  );
  return {
    snapshotId: snapshot.id,
    archive: snapshot.archive,
    method: capture.method,
    consistency: capture.consistency,
    pausedMs: capture.pausedMs,
    report,
  };
}

/**
 * Takes the context, the job and the seal call; seals, retrying while the link is down. When the server
 * answers that the job is no longer running, the seal may have gone through before the link dropped (or the
 * server finished it after a restart): the job's own record then tells, and a succeeded job's snapshot is
 * returned instead of an error.
 */
async function sealOrFind(
  ctx: JobContext,
  jobId: string,
  seal: () => Promise<{ id: string; archive: string }>,
): Promise<{ id: string; archive: string }> {
  try {
    return await callWithRetry(seal, { signal: ctx.signal, deadlineMs: 600_000 });
  } catch (error) {
    if ((error as VrsError).code !== 'JOB_CANCELLED') throw error;
    const job = await callWithRetry(() => ctx.client.jobs.get.query({ id: jobId }), { signal: ctx.signal });
    if (job.state !== 'succeeded' || !job.snapshotId) throw error;
    const snapshot = await callWithRetry(() => ctx.client.snapshots.get.query({ id: job.snapshotId as string }), {
      signal: ctx.signal,
    });
    ctx.log.info({ job: jobId, snapshot: snapshot.id }, 'the server had finished the seal');
    return snapshot;
  }
}
