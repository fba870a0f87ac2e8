import {
  CaptureMethod,
  Consistency,
  DisplayName,
  decodeManifest,
  ERROR_CODE_LIST,
  type ErrorCode,
  encodeManifest,
  HostOs,
  Inventory,
  JobProgress,
  type Manifest,
  Timestamp,
  Uuid,
} from '@vrs/protocol';
import { z } from 'zod';
import type { AgentMessage } from '../../agents/agent-hub.js';
import type { App } from '../../app/app.js';
import { ServerError } from '../../app/server-error.js';
import { audit } from '../../audit/audit.js';
import { enrollHost } from '../../auth/enrollment.js';
import { crashPoint } from '../../env.js';
import { FileRole, type SnapshotInfo } from '../../snapshots/snapshot-info.js';
import { TransferSession } from '../../transfer/transfer-session.js';
import { hostProcedure, publicProcedure, router } from '../trpc.js';

/** Base64 of a manifest: up to 32 MiB of manifest (a 1 TiB disk in 1 MiB cells). */
const ManifestBase64 = z
  .string()
  .max(45_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

const SealInput = z.object({
  jobId: Uuid,
  vmName: DisplayName,
  createdAt: Timestamp,
  captureMethod: CaptureMethod,
  consistency: Consistency,
  files: z
    .array(z.object({ uuid: Uuid, role: FileRole, sourcePath: z.string().min(1).max(4096), manifest: ManifestBase64 }))
    .min(1)
    .max(64),
});

/**
 * Takes the server, a host and a job; returns the job if it is that host's and running. A job the server queued
 * again when it restarted while the host worked on it runs again: the host calling for it is still at it.
 */
async function runningJob(app: App, hostId: string, jobId: string, kinds: string[]) {
  const found = await app.jobs.requireHostJob(hostId, jobId);
  if (!kinds.includes(found.kind)) throw new ServerError('INVALID_INPUT', `job ${jobId} is a ${found.kind} job`);
  const row = await app.jobs.resumedByHost(hostId, jobId);
  if (row.state !== 'running') {
    throw new ServerError('JOB_CANCELLED', `job ${jobId} is ${row.state}, not running`, {
      hint: 'Drop it: the server gave up on it.',
    });
  }
  return row;
}

/**
 * Takes the server, a host, its running snapshot job and the job's files; registers the job's snapshot transfer
 * (the open session, else a new one over the job's staging: cells staged before a restart count) and returns
 * the session with a new job-scoped token.
 */
function openTransfer(app: App, hostId: string, row: { id: string; vmUuid: string | null }, files: string[]) {
  const previous = app.transfers.get(row.id);
  const session =
    previous?.mode === 'snapshot'
      ? previous.session
      : new TransferSession(app.repositories.mirror(hostId), row.vmUuid as string, row.id, new Set(files), {
          maxLength: app.config.limits.maxFrameBytes,
        });
  const token = app.transfers.open({ jobId: row.id, hostId, mode: 'snapshot', session });
  return { token, session };
}

/** What only agents call: enrollment, inventory, their jobs, transfers, seals and outcomes. */
export const agentRouter = router({
  enroll: publicProcedure
    .input(
      z.object({
        token: z.string().min(16).max(200),
        os: HostOs,
        agentVersion: z.string().min(1).max(40),
        virtualBoxVersion: z.string().max(40).nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const host = await enrollHost(ctx.app.catalog, ctx.app.repositories, input);
      await audit(ctx.app.catalog, `host:${host.hostId}`, 'agent.enroll', `host:${host.hostId}`, {
        name: host.name,
        remote: ctx.remote,
      });
      return host;
    }),

  inventory: hostProcedure.input(Inventory).mutation(async ({ ctx, input }) => {
    const hostId = ctx.actor.id;
    await ctx.app.catalog.host.update({
      where: { id: hostId },
      data: { lastSeenAt: new Date(), virtualBoxVersion: input.virtualBoxVersion },
    });
    const refused: string[] = [];
    for (const vm of input.vms) {
      const existing = await ctx.app.catalog.vm.findUnique({ where: { id: vm.uuid } });
      if (existing && existing.hostId !== hostId) {
        refused.push(vm.uuid);
        continue;
      }
      const data = { name: vm.name, state: vm.state, configFile: vm.configFile, disks: JSON.stringify(vm.disks) };
      await ctx.app.catalog.vm.upsert({
        where: { id: vm.uuid },
        create: { id: vm.uuid, hostId, ...data },
        update: data,
      });
    }
    ctx.app.scheduler.refresh();
    return { accepted: input.vms.length - refused.length, refused };
  }),

  jobs: hostProcedure.input(z.object({ running: z.array(Uuid).max(16) })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const channel = ctx.app.hub.attach(ctx.actor.id, signal ?? new AbortController().signal);
    await ctx.app.jobs.hostConnected(ctx.actor.id, input.running);
    for await (const message of channel) yield message satisfies AgentMessage;
  }),

  progress: hostProcedure.input(z.object({ jobId: Uuid, progress: JobProgress })).mutation(async ({ ctx, input }) => {
    await ctx.app.jobs.progress(ctx.actor.id, input.jobId, input.progress);
    return { ok: true };
  }),

  /** Opens (or reopens) a snapshot's transfer: a job-scoped token and the mirror's manifests of those files. */
  openSnapshot: hostProcedure
    .input(z.object({ jobId: Uuid, files: z.array(Uuid).min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const row = await runningJob(ctx.app, ctx.actor.id, input.jobId, ['snapshot']);
      const store = ctx.app.repositories.mirror(ctx.actor.id);
      const vm = row.vmUuid as string;
      await ctx.app.snapshots.settled(ctx.actor.id, vm); // a rebase after a restore of this VM ends first
      const { token } = openTransfer(ctx.app, ctx.actor.id, row, input.files);
      const mirror = [];
      for (const disk of input.files) {
        const manifest = await store.readManifest(vm, disk);
        mirror.push({
          uuid: disk,
          manifest: manifest ? Buffer.from(encodeManifest(manifest)).toString('base64') : null,
        });
      }
      return { token, mirror };
    }),

  /** Commits the snapshot the agent sent: the mirror atomically, then `borg create`. Returns the snapshot. */
  seal: hostProcedure.input(SealInput).mutation(async ({ ctx, input }) => {
    crashPoint('seal:received');
    const row = await runningJob(ctx.app, ctx.actor.id, input.jobId, ['snapshot']);
    // After a restart the transfer is gone from memory, but the cells it staged are on disk: the seal takes them
    // (and fails MIRROR_INCOMPLETE for any that never arrived).
    const open = ctx.app.transfers.get(row.id);
    const session =
      open?.mode === 'snapshot'
        ? open.session
        : openTransfer(
            ctx.app,
            ctx.actor.id,
            row,
            input.files.map((f) => f.uuid),
          ).session;
    const vm = row.vmUuid as string;
    const params = JSON.parse(row.params) as { label?: string };
    const manifests = input.files.map((f) => ({ disk: f.uuid, manifest: Buffer.from(f.manifest, 'base64') }));
    const grids = new Map(manifests.map((m) => [m.disk, decodeManifest(m.manifest)]));
    const info: SnapshotInfo = {
      format: 1,
      vm: { uuid: vm, name: input.vmName },
      host: { id: ctx.actor.id, name: ctx.actor.name },
      label: params.label ?? 'snapshot',
      createdAt: input.createdAt,
      captureMethod: input.captureMethod,
      consistency: input.consistency,
      disks: input.files.map((f) => ({
        uuid: f.uuid,
        role: f.role,
        sourcePath: f.sourcePath,
        grid: (grids.get(f.uuid) as Manifest).grid,
        manifest: `disks/${f.uuid}/manifest.vrsm`,
      })),
    };
    await ctx.app.jobs.setState(row.id, 'committing');
    let committed = false;
    try {
      const summary = await session.seal(manifests, info);
      committed = true;
      await ctx.app.jobs.setState(row.id, 'committing', { mirrorCommitted: true });
      crashPoint('seal:committed');
      const figures = input.files.map((f) => {
        const disk = summary.disks.find((d) => d.uuid === f.uuid);
        const { grid } = grids.get(f.uuid) as Manifest;
        return {
          uuid: f.uuid,
          role: f.role,
          fileSize: grid.fileSize,
          // Whole cells, except that a file smaller than one (a .vbox) changed by its own size.
          changedBytes: Math.min(grid.fileSize, ((disk?.written ?? 0) + (disk?.copied ?? 0)) * grid.blockSize),
        };
      });
      const snapshot = await ctx.app.snapshots.archive(ctx.actor.id, vm, figures);
      ctx.app.transfers.close(row.id);
      await ctx.app.jobs.succeed(row.id, { snapshotId: snapshot.id });
      await ctx.app.scheduler.afterSnapshot(ctx.actor.id, vm);
      return snapshot;
    } catch (error) {
      if (!committed) await ctx.app.jobs.setState(row.id, 'running').catch(() => undefined);
      else await ctx.app.jobs.fail(row.id, error as ServerError).catch(() => undefined);
      throw error;
    }
  }),

  /** Opens a restore: the snapshot's description and manifests, and a job-scoped token for its cells. */
  openRestore: hostProcedure.input(z.object({ jobId: Uuid })).mutation(async ({ ctx, input }) => {
    const row = await runningJob(ctx.app, ctx.actor.id, input.jobId, ['restore', 'restore-as-new']);
    if (!row.snapshotId) throw new ServerError('SNAPSHOT_NOT_FOUND', 'the snapshot of this restore was deleted');
    const { reader, info, files } = await ctx.app.snapshots.openForRestore(
      ctx.actor.id,
      row.vmUuid as string,
      row.snapshotId,
    );
    const token = ctx.app.transfers.open({ jobId: row.id, hostId: ctx.actor.id, mode: 'restore', reader });
    return { token, vm: info.vm, createdAt: info.createdAt, captureMethod: info.captureMethod, files };
  }),

  /** The agent restored every file: finish the job, then rebase the mirror (in place) in the background. */
  finishRestore: hostProcedure
    .input(z.object({ jobId: Uuid, newVmUuid: Uuid.optional() }))
    .mutation(async ({ ctx, input }) => {
      const row = await runningJob(ctx.app, ctx.actor.id, input.jobId, ['restore', 'restore-as-new']);
      const transfer = ctx.app.transfers.get(row.id);
      ctx.app.transfers.close(row.id);
      const view = await ctx.app.jobs.succeed(
        row.id,
        input.newVmUuid ? { params: { newVmUuid: input.newVmUuid } } : {},
      );
      if (row.kind === 'restore') {
        // The disk is restored: the job is done. The mirror follows in the background (the VM's next snapshot
        // or restore waits for it), reusing the restore's reader, which holds the snapshot's manifests.
        const reader = transfer?.mode === 'restore' ? transfer.reader : undefined;
        ctx.app.snapshots.rebaseLater(ctx.actor.id, row.vmUuid as string, row.snapshotId as string, reader);
      }
      return view;
    }),

  /** The agent could not do the job: record why (and retry later when the cause may pass). */
  fail: hostProcedure
    .input(
      z.object({
        jobId: Uuid,
        error: z.object({
          code: z.enum(ERROR_CODE_LIST as [ErrorCode, ...ErrorCode[]]),
          message: z.string().max(2000),
          hint: z.string().max(500).optional(),
        }),
        retry: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.app.jobs.requireHostJob(ctx.actor.id, input.jobId);
      if (row.state !== 'running' && row.state !== 'committing') return { state: row.state };
      ctx.app.transfers.close(row.id);
      const view = await ctx.app.jobs.fail(row.id, input.error, input.retry);
      return { state: view.state };
    }),
});
